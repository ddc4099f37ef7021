// Runs the built eSputnik relay (dist/relay.mjs) as a store runs `npx ecomtag-relay`: a child process configured
// by its environment, on 127.0.0.1, logging JSON lines. Used by the relay's server tests, the browser tests and
// the demo. `node build.mjs` must have run.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { IDENTITY_SECRET } from './identity.mjs';

export const RELAY_SCRIPT = fileURLToPath(new URL('../../dist/relay.mjs', import.meta.url));
const PROBE_SCRIPT = new URL('./relay-probe.mjs', import.meta.url).href;

const START_TIMEOUT_MS = 10000;
const STOP_TIMEOUT_MS = 30000;

/** @typedef {Record<string, unknown>} LogLine one parsed stdout line */
/** @typedef {{code: number | null, signal: NodeJS.Signals | null}} Exit */
/** @typedef {import('./relay-probe.mjs').ProbeReading} ProbeReading */

/**
 * @typedef {object} RelayProcess
 * @property {string} url  where it listens, e.g. `http://127.0.0.1:41234`
 * @property {number} port
 * @property {LogLine[]} logs  every JSON line of stdout, parsed, in order (the startup line first)
 * @property {string[]} output  every line of stdout and stderr as written, for "never contains" checks
 * @property {import('node:child_process').ChildProcess} child
 * @property {(predicate: (line: LogLine) => boolean, timeoutMs?: number) => Promise<LogLine>} waitForLog
 *   resolves with the first line (already logged or still to come) that matches
 * @property {(listener: (line: LogLine) => void) => () => void} onLog
 *   calls `listener` with every JSON line logged from now on; returns what stops the calls
 * @property {Promise<Exit>} exited
 * @property {(signal?: NodeJS.Signals) => Promise<Exit>} close  sends SIGTERM (or `signal`) and waits for the exit
 * @property {() => Promise<ProbeReading>} memory  the process's memory after full collections, and its open
 *   handles (started with `probe` only); one call at a time
 */

/**
 * The environment of a relay run: the parent's, minus any relay setting of the machine running the tests, plus
 * `env`.
 * @param {Record<string, string>} env
 * @returns {Record<string, string>}
 */
function relayEnv(env) {
  /** @type {Record<string, string>} */
  const clean = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(ESPUTNIK|RELAY|CALLTOUCH)_/.test(name)) clean[name] = value;
  }
  return { ...clean, ...env };
}

/**
 * Spawns the relay and resolves once it listens (its startup line names the port, so `port: 0` works). It verifies
 * identities signed with identity.mjs's IDENTITY_SECRET unless env says otherwise (RELAY_IDENTITY_SECRET: '' for
 * none).
 * @param {{apiKey: string, allowedOrigins: string | string[], upstreamUrl: string, port?: number, env?: Record<string, string>, probe?: boolean, script?: string, fileLimit?: number}} options
 *   env adds or overrides variables (RELAY_RATE_LIMIT_BURST, RELAY_UPSTREAM_TIMEOUT_MS, …; an empty value counts as
 *   unset, as RELAY_HOST: '' does); probe runs it with --expose-gc and relay-probe.mjs preloaded, for memory();
 *   script runs another build of the relay than dist/relay.mjs (a benchmark's "before"); fileLimit runs it under
 *   `ulimit -n` of that many file descriptors, as a host with a low limit would
 * @returns {Promise<RelayProcess>}
 */
export function startRelay({ apiKey, allowedOrigins, upstreamUrl, port = 0, env = {}, probe = false, script = RELAY_SCRIPT, fileLimit }) {
  const nodeArgs = probe ? ['--expose-gc', '--import', PROBE_SCRIPT] : [];
  const command = [process.execPath, ...nodeArgs, script];
  // sh sets the limit and then becomes node (exec), so the child's pid, signals and exit are node's own.
  const [file, ...args] = fileLimit === undefined ? command : ['/bin/sh', '-c', `ulimit -n ${Number(fileLimit)} && exec "$@"`, 'sh', ...command];
  const child = spawn(file, args, {
    env: relayEnv({
      ESPUTNIK_API_KEY: apiKey,
      RELAY_ALLOWED_ORIGINS: Array.isArray(allowedOrigins) ? allowedOrigins.join(',') : allowedOrigins,
      ESPUTNIK_URL: upstreamUrl,
      RELAY_PORT: String(port),
      RELAY_HOST: '127.0.0.1',
      RELAY_IDENTITY_SECRET: IDENTITY_SECRET,
      ...env,
    }),
    stdio: probe ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  /** @type {LogLine[]} */
  const logs = [];
  /** @type {string[]} */
  const output = [];
  /** @type {Array<{predicate: (line: LogLine) => boolean, resolve: (line: LogLine) => void}>} */
  let waiters = [];
  /** @type {Set<(line: LogLine) => void>} */
  const listeners = new Set();

  /** @type {Promise<Exit>} */
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) }).on('line', (line) => {
    output.push(line);
    /** @type {LogLine | null} */
    let parsed = null;
    try {
      const value = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value;
    } catch {
      // not a log line; it stays in output
    }
    if (!parsed) return;
    logs.push(parsed);
    const entry = parsed;
    for (const listener of [...listeners]) listener(entry);
    waiters = waiters.filter((waiter) => {
      if (!waiter.predicate(entry)) return true;
      waiter.resolve(entry);
      return false;
    });
  });
  createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stderr) }).on('line', (line) => output.push(line));

  /**
   * @param {(line: LogLine) => boolean} predicate
   * @param {number} [timeoutMs]
   * @returns {Promise<LogLine>}
   */
  const waitForLog = (predicate, timeoutMs = 5000) => {
    const seen = logs.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters = waiters.filter((waiter) => waiter.resolve !== done);
        reject(new Error(`no such relay log line within ${timeoutMs} ms; lines:\n${output.join('\n')}`));
      }, timeoutMs);
      /** @param {LogLine} line */
      const done = (line) => {
        clearTimeout(timer);
        resolve(line);
      };
      waiters.push({ predicate, resolve: done });
    });
  };

  /** @param {(line: LogLine) => void} listener */
  const onLog = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  /**
   * @param {NodeJS.Signals} [signal]
   * @returns {Promise<Exit>}
   */
  const close = async (signal = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const exit = await exited;
    clearTimeout(timer);
    return exit;
  };

  /** @returns {Promise<ProbeReading>} */
  const memory = () =>
    new Promise((resolve, reject) => {
      if (!probe) return reject(new Error('memory() needs startRelay({probe: true})'));
      if (!child.connected) return reject(new Error('the relay process has exited'));
      /** @param {unknown} message */
      const answer = (message) => {
        if (typeof message !== 'object' || message === null || !('memory' in message)) return;
        child.off('message', answer);
        resolve(/** @type {{memory: ProbeReading}} */ (message).memory);
      };
      child.on('message', answer);
      exited.then(() => reject(new Error('the relay process exited before it answered')));
      child.send('memory');
    });

  return new Promise((resolve, reject) => {
    const failed = (/** @type {string} */ why) => {
      child.kill('SIGKILL');
      reject(new Error(`the relay did not start: ${why}\n${output.join('\n')}`));
    };
    const timer = setTimeout(() => failed(`no startup line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    exited.then((exit) => {
      clearTimeout(timer);
      // After a successful start this settles nothing: the promise is resolved already.
      reject(new Error(`the relay exited (${exit.code ?? exit.signal}) before it listened:\n${output.join('\n')}`));
    });
    waitForLog((line) => line.msg === 'listening', START_TIMEOUT_MS).then(
      (line) => {
        clearTimeout(timer);
        const port = Number(line.port);
        resolve({ url: String(line.url), port, logs, output, child, waitForLog, onLog, exited, close, memory });
      },
      () => undefined,
    );
  });
}

/**
 * Runs the relay with exactly `env` (plus PATH and the like) until it exits by itself, as a start that must fail.
 * @param {Record<string, string>} env
 * @param {number} [timeoutMs]
 * @returns {Promise<Exit & {stdout: string, stderr: string}>}
 */
export function runRelayToExit(env, timeoutMs = START_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RELAY_SCRIPT], { env: relayEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the relay was still running after ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
