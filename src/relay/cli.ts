/**
 * `npx ecomtag-relay`: the environment → serveRelay, and a graceful exit on SIGTERM/SIGINT (what a container
 * runtime or systemd sends, and Ctrl-C): stop accepting, let requests in flight finish, exit 0.
 */
import { optionsFromEnv, type Env } from './env';
import { serveRelay } from './node';

const fail = (message: string) => {
  // One line a person reads in `docker logs` or journalctl; never a value, so never the key.
  process.stderr.write(`ecomtag-relay: cannot start: ${message}\n`);
  process.exitCode = 1;
};

export const runCli = async (env: Env = process.env): Promise<void> => {
  const { options, errors } = optionsFromEnv(env);
  if (!options) return fail(errors.join('; '));
  let server;
  try {
    server = await serveRelay(options);
  } catch (error) {
    // createRelay's own checks (an origin that is not one, an ESPUTNIK_URL that is not a URL), or the port taken.
    return fail(error instanceof Error ? error.message : String(error));
  }
  const running = server;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal means "now": whoever sent it has stopped waiting.
      process.stderr.write(`ecomtag-relay: ${signal} again, exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'signal', signal })}\n`);
    // exit rather than wait for the loop to empty: fetch keeps its connections to eSputnik alive for a while.
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};
