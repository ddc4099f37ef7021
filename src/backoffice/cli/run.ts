/**
 * `ecomtag-order`: the command line and the environment (ECOMTAG_RELAY_URL, RELAY_BACKOFFICE_TOKEN) → one order
 * change to the relay's back office, with its retries → one line per destination on stdout (or the answer as JSON),
 * waits and problems on stderr, and the exit code a cron job or a script acts on: 0 every destination took it (or had
 * nothing to do), 1 one refused it, 2 bad input, a relay that refuses us, or retries run out.
 */
import { createBackoffice } from '../client';
import { BackofficeError } from '../errors';
import type { BackofficeResult, DestinationAnswer } from '../types';
import { parseArgs, USAGE } from './args';

const NAME = 'ecomtag-order';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const exitCode = (result: BackofficeResult): 0 | 1 | 2 => {
  const answers: DestinationAnswer[] = result.orders.flatMap((order) => [order.esputnik, order.calltouch]);
  if (answers.some((answer) => answer.startsWith('retry'))) return 2;
  return answers.some((answer) => answer.startsWith('refused')) ? 1 : 0;
};

export const runCli = async (argv: readonly string[], env: Record<string, string | undefined>, io: CliIo): Promise<0 | 1 | 2> => {
  const parsed = parseArgs(argv);
  if ('help' in parsed) {
    io.stdout.write(USAGE);
    return 0;
  }
  const problems = 'problems' in parsed ? [...parsed.problems] : [];
  const url = env.ECOMTAG_RELAY_URL?.trim();
  const token = env.RELAY_BACKOFFICE_TOKEN?.trim();
  if (!url) problems.push('ECOMTAG_RELAY_URL is not set: the relay’s URL, such as http://127.0.0.1:8787');
  if (!token) problems.push('RELAY_BACKOFFICE_TOKEN is not set: the token the relay runs with');
  if (problems.length > 0 || 'problems' in parsed) {
    for (const problem of problems) io.stderr.write(`${NAME}: ${problem}\n`);
    io.stderr.write(`${NAME}: nothing was sent; see ${NAME} --help\n`);
    return 2;
  }
  const redact = (text: string) => text.split(token!).join('[redacted]');
  try {
    const backoffice = createBackoffice({
      url: url!,
      token: token!,
      ...(parsed.retries !== undefined && { retries: parsed.retries }),
      onRetry: ({ delayMs, reason }) => io.stderr.write(redact(`${NAME}: ${reason}; trying again in ${(delayMs / 1000).toFixed(1)} s\n`)),
    });
    const result = await backoffice.orderStatus(parsed.order);
    if (parsed.json) io.stdout.write(redact(`${JSON.stringify(result, null, 2)}\n`));
    else {
      for (const order of result.orders) {
        io.stdout.write(redact(`order ${order.id} ${order.status}: eSputnik ${order.esputnik}; Calltouch ${order.calltouch}\n`));
        for (const note of order.notes ?? []) io.stdout.write(redact(`  note: ${note}\n`));
      }
    }
    const code = exitCode(result);
    if (code === 2) io.stderr.write(`${NAME}: not delivered everywhere after the retries: run it again later (what was taken is not sent twice)\n`);
    return code;
  } catch (error) {
    if (error instanceof BackofficeError) for (const problem of error.problems) io.stderr.write(redact(`${NAME}: ${problem}\n`));
    else io.stderr.write(redact(`${NAME}: failed: ${error instanceof Error ? error.message : String(error)}\n`));
    return 2;
  }
};
