/**
 * What the back office's client cannot get past by retrying: `input` (its options, or an order the relay refused as
 * malformed: nothing of that request was sent) or `refused` (the relay will not take requests from it: a wrong
 * token, no back office at that URL). `problems` holds one line each; none ever holds the token.
 */
export class BackofficeError extends Error {
  readonly kind: 'input' | 'refused';
  readonly problems: readonly string[];
  /** The relay's status, when it answered. */
  readonly status: number | null;

  constructor(kind: 'input' | 'refused', problems: readonly string[], status: number | null = null) {
    super(problems.join('\n'));
    this.name = 'BackofficeError';
    this.kind = kind;
    this.problems = problems;
    this.status = status;
  }
}
