/**
 * What stops a run, as the CLI's exit code 2 reports it: `input` (the options or the orders file: nothing was
 * requested yet) or `api` (the deal journal could not be read, retries included). `problems` holds one line per
 * problem, each readable on its own; none ever holds the token.
 */
export class ReconcileError extends Error {
  readonly kind: 'input' | 'api';
  readonly problems: readonly string[];

  constructor(kind: 'input' | 'api', problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ReconcileError';
    this.kind = kind;
    this.problems = problems;
  }
}
