import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Config, Tag } from '../../src/types';

// What a bundler or a server-rendering app gets from `import { createTag } from 'ecomtag'`.
describe('dist/index.mjs', () => {
  it('exports createTag, whose calls do nothing where there is no window', async () => {
    const { createTag } = (await import('../../dist/index.mjs')) as { createTag: (config: Config) => Tag };
    const ct = createTag({ accounts: [{ modId: 'abcd1234' }] });
    expect(ct('send_ecommerce', 'detail', { products: [{ id: 1 }] })).toBeUndefined();
    await expect(ct.flush()).resolves.toBeUndefined();
  });

  it('is what package.json points at, with typings', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.mjs' });
    const typings = readFileSync(new URL('../../dist/index.d.ts', import.meta.url), 'utf8');
    expect(typings).toContain('export declare const createTag: (config: Config) => Tag;');
    expect(typings).toContain('export interface Config');
    expect(typings).not.toMatch(/ from '/);
  });

  it('has typings that compile on their own, strictly', () => {
    const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
    const typings = fileURLToPath(new URL('../../dist/index.d.ts', import.meta.url));
    expect(() => execFileSync(process.execPath, [tsc, '--ignoreConfig', '--noEmit', '--strict', '--lib', 'es2017,dom', typings], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('dist/ecomtag.js', () => {
  it('is one IIFE with no imports, no eval and no innerHTML', () => {
    const code = readFileSync(new URL('../../dist/ecomtag.js', import.meta.url), 'utf8');
    expect(code).toMatch(/^"use strict";\(\(\)=>\{[\s\S]*\}\)\(\);\n?$/);
    expect(code).not.toMatch(/\bimport\b|\brequire\(|\beval\(|new Function|innerHTML/);
  });
});
