// Runs one of the package's Node programs (dist/*.mjs) as a child process to its exit, as `npx` would: with its
// arguments, the parent's environment less the variables of the machine that would change what it does, plus `env`.
// Used by reconcile-process.mjs and backoffice-process.mjs.
import { spawn } from 'node:child_process';

/** Output kept per stream at most: a run prints far less. */
const OUTPUT_LIMIT = 4 * 1024 * 1024;

/**
 * @typedef {object} ScriptRun
 * @property {number | null} code
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} ms  from spawn to exit
 */

/**
 * @param {string} script  the program's path
 * @param {string[]} args
 * @param {{env?: Record<string, string>, drop: RegExp, timeoutMs?: number}} options
 *   drop: the parent's variables left out (`/^CALLTOUCH_/`), so a setting of the machine cannot leak into a test
 * @returns {Promise<ScriptRun>}
 */
export function runNodeScript(script, args, { env = {}, drop, timeoutMs = 60_000 }) {
  /** @type {Record<string, string>} */
  const clean = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !drop.test(name)) clean[name] = value;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout = (stdout + chunk).slice(0, OUTPUT_LIMIT)));
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(0, OUTPUT_LIMIT)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} was still running after ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}
