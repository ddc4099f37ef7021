/**
 * `ecomtag-reconcile`: the command line and the environment → reconcile() → the report on stdout (a table, or
 * the JSON object with --json), progress and problems on stderr, and the exit code: 0 every order matched, 1 some
 * missing or mismatched, 2 bad input, an API failure retries could not overcome, or a repair that could not send
 * everything. Everything written passes through the token's redaction, whatever it is.
 */
import { ReconcileError } from '../errors';
import { redactor } from '../http/request';
import { reconcile } from '../reconcile';
import { renderRepair, renderTable } from '../report/table';
import { parseArgs, USAGE } from './args';
import { createProgress, type ProgressStream } from './progress';

const NAME = 'ecomtag-reconcile';
const TOKEN_VARIABLE = 'CALLTOUCH_API_TOKEN';

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
}

export const runCli = async (argv: readonly string[], env: Record<string, string | undefined>, io: CliIo): Promise<0 | 1 | 2> => {
  const parsed = parseArgs(argv);
  if ('help' in parsed) {
    io.stdout.write(USAGE);
    return 0;
  }
  if ('problems' in parsed) {
    for (const problem of parsed.problems) io.stderr.write(`${NAME}: ${problem}\n`);
    io.stderr.write(`${NAME}: see ${NAME} --help\n`);
    return 2;
  }
  const token = env[TOKEN_VARIABLE]?.trim();
  if (!token) {
    io.stderr.write(`${NAME}: ${TOKEN_VARIABLE} is not set: put Calltouch's API token (Settings → API) in it\n`);
    return 2;
  }
  const redact = redactor(token);
  const stdout = (text: string) => io.stdout.write(redact(text));
  const stderr: ProgressStream = { write: (text) => io.stderr.write(redact(text)), isTTY: io.stderr.isTTY, columns: io.stderr.columns };
  const progress = createProgress(stderr, NAME);
  const { args } = parsed;
  try {
    const result = await reconcile({
      siteId: args.siteId,
      from: args.from,
      to: args.to,
      orders: args.orders,
      token,
      apiUrl: args.apiUrl,
      ecommerceUrl: args.ecommerceUrl,
      repair: args.repair ? (args.yes ? 'send' : 'dry-run') : undefined,
      onProgress: (event) => progress.show(event),
    });
    progress.end();
    for (const notice of result.journal.notices) progress.note(notice);
    if (args.json) {
      // The table names these; the JSON object has no place for them.
      if (result.outsidePeriod.length) progress.note(`${result.outsidePeriod.length} order(s) of the file dated outside the period were not checked`);
      if (result.journal.unreadable.length) progress.note(`${result.journal.unreadable.length} deal(s) could not be read: ${result.journal.unreadable.slice(0, 5).join('; ')}`);
      stdout(`${JSON.stringify(result.report, null, 2)}\n`);
    } else {
      stdout(renderTable(result, args.siteId));
    }
    if (result.repair) {
      const text = renderRepair(result.repair);
      // stdout is the JSON object alone with --json.
      if (args.json) stderr.write(text);
      else stdout(`\n${text}`);
      if (result.repair.failed.length) {
        stderr.write(`${NAME}: ${result.repair.failed.length} of ${result.repair.purchases.length} purchase(s) could not be sent; they stay missing and go again next run\n`);
        return 2;
      }
    }
    return result.exitCode;
  } catch (error) {
    progress.end();
    if (error instanceof ReconcileError) {
      for (const problem of error.problems) stderr.write(`${NAME}: ${problem}\n`);
      if (error.kind === 'input') stderr.write(`${NAME}: nothing was sent to Calltouch\n`);
    } else {
      stderr.write(`${NAME}: failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    return 2;
  }
};
