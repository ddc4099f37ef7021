// Nothing the project runs may delete what it did not create. A copy of this checkout sits in a temporary folder
// beside a canary file; the copy's own browser tests run with no Chromium to be had, and its build runs from a
// folder that holds a dist/ of its own. Before this guard, spa.test.ts's afterAll removed `join('', '..')` when its
// beforeAll failed: the folder holding the project, canary and all.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NOT_COPIED = new Set(['.git', 'node_modules', 'dist', 'test-results']);

/** Set only once mkdtemp returned it; afterAll removes exactly this path. */
let made: string | undefined;
let clone = '';
let canary = '';

beforeAll(async () => {
  made = await mkdtemp(join(tmpdir(), 'ecomtag-no-harm-'));
  canary = join(made, 'canary.txt');
  await writeFile(canary, 'a sibling of the project: nothing may remove it\n');
  clone = join(made, 'ecomtag');
  // The working tree as it is (git or not), without what installs and builds make; the installed packages linked.
  await cp(ROOT, clone, { recursive: true, filter: (source) => !NOT_COPIED.has(relative(ROOT, source)) });
  await symlink(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
});

afterAll(async () => {
  if (made) await rm(made, { recursive: true, force: true });
});

const survivors = () => ({ canary: existsSync(canary), clone: existsSync(clone), src: existsSync(join(clone, 'src')) });

describe('a test run with no Chromium', () => {
  it('stops the browser suite with one message, passes none of its tests, and removes nothing it did not make', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CHROME_PATH: join(made!, 'no-chromium-here') };
    delete env.ECOMTAG_CHROMIUM;
    const run = spawnSync(process.execPath, [join(clone, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'browser', 'test/browser/spa.test.ts'], {
      cwd: clone,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const output = run.stdout + run.stderr;
    expect(survivors()).toEqual({ canary: true, clone: true, src: true });
    expect(run.status).not.toBe(0);
    expect(output).toContain(`CHROME_PATH=${env.CHROME_PATH} names no file`);
    expect(output).toContain('apt-get install -y chromium');
    expect(output).not.toMatch(/\d+ passed/);
  });
});

describe('the build', () => {
  it('empties only its own dist/, whichever folder it is started from', async () => {
    const elsewhere = join(made!, 'elsewhere');
    await mkdir(join(elsewhere, 'dist'), { recursive: true });
    await writeFile(join(elsewhere, 'dist', 'keep.txt'), 'not the build’s\n');
    execFileSync(process.execPath, [join(clone, 'build.mjs')], { cwd: elsewhere, stdio: 'pipe' });
    expect(existsSync(join(elsewhere, 'dist', 'keep.txt'))).toBe(true);
    expect(existsSync(join(clone, 'dist', 'ecomtag.js'))).toBe(true);
    expect(survivors()).toEqual({ canary: true, clone: true, src: true });
  }, 120_000);
});
