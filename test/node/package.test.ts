import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Config, Tag } from '../../src/types';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const packageJson = () => JSON.parse(read('package.json'));

/** The typings compile on their own, strictly, with tsc's `options` (which lib, which types). */
const expectCompilesAlone = (typings: string, ...options: string[]) => {
  const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
  const file = fileURLToPath(new URL(`../../${typings}`, import.meta.url));
  expect(() => execFileSync(process.execPath, [tsc, '--ignoreConfig', '--noEmit', '--strict', ...options, file], { stdio: 'pipe' })).not.toThrow();
};

/** A Node entry point is what package.json points at: an executable bin and an export with typings. Its code. */
const expectBinAndExport = (bin: string, subpath: string, file: string) => {
  const pkg = packageJson();
  expect(pkg.bin[bin]).toBe(`./dist/${file}`);
  expect(pkg.exports[subpath]).toEqual({ types: `./dist/${file.replace(/\.mjs$/, '.d.ts')}`, import: `./dist/${file}` });
  const code = read(`dist/${file}`);
  expect(code.startsWith('#!/usr/bin/env node\n')).toBe(true);
  expect(statSync(new URL(`../../dist/${file}`, import.meta.url)).mode & 0o777).toBe(0o755);
  return code;
};

// What a bundler or a server-rendering app gets from `import { createTag } from 'ecomtag'`.
describe('dist/index.mjs', () => {
  it('exports createTag, whose calls do nothing where there is no window', async () => {
    const { createTag } = (await import('../../dist/index.mjs')) as { createTag: (config: Config) => Tag };
    const ct = createTag({ accounts: [{ modId: 'abcd1234' }] });
    expect(ct('send_ecommerce', 'detail', { products: [{ id: 1 }] })).toBeUndefined();
    await expect(ct.flush()).resolves.toBeUndefined();
  });

  it('is what package.json points at, with typings', () => {
    expect(packageJson().exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.mjs' });
    const typings = read('dist/index.d.ts');
    expect(typings).toContain('export declare const createTag: (config: Config) => Tag;');
    expect(typings).toContain('export interface Config');
    expect(typings).not.toMatch(/ from '/);
  });

  it('has typings that compile on their own, strictly', () => {
    expectCompilesAlone('dist/index.d.ts', '--lib', 'es2017,dom');
  });
});

describe.each(['ecomtag.js', 'ecomtag.calltouch.js'])('dist/%s', (file) => {
  it('is one IIFE with no imports, no eval and no innerHTML, exported as ecomtag/' + file, () => {
    const code = read(`dist/${file}`);
    expect(code).toMatch(/^"use strict";\(\(\)=>\{[\s\S]*\}\)\(\);\n?$/);
    expect(code).not.toMatch(/\bimport\b|\brequire\(|\beval\(|new Function|innerHTML/);
    expect(packageJson().exports[`./${file}`]).toBe(`./dist/${file}`);
  });
});

// The eSputnik relay: `npx ecomtag-relay` (bin) and `import { createRelay } from 'ecomtag/relay'`.
describe('dist/relay.mjs', () => {
  it('is what package.json points at: an executable bin and an export with typings', () => {
    expect(packageJson().bin).toEqual({ 'ecomtag-relay': './dist/relay.mjs', 'ecomtag-reconcile': './dist/reconcile.mjs', 'ecomtag-order': './dist/backoffice.mjs' });
    const code = expectBinAndExport('ecomtag-relay', './relay', 'relay.mjs');
    // node: modules are imported where they are used, so an edge host can load the module for createRelay.
    expect(code).not.toMatch(/^import .* from ["']node:/m);
  });

  it('exports createRelay, serveRelay and signIdentity, and starts nothing when imported', async () => {
    const relay = (await import('../../dist/relay.mjs')) as typeof import('../../src/relay/index');
    expect(Object.keys(relay).sort()).toEqual(['createRelay', 'serveRelay', 'signIdentity']);
    const handler = relay.createRelay({ apiKey: 'k', allowedOrigins: ['https://shop.example'], log: () => undefined });
    expect((await handler(new Request('https://relay.example/healthz'))).status).toBe(200);
    expect(await relay.signIdentity({ email: 'a@b.ru' }, 's'.repeat(32), 60)).toMatch(/^[\w-]+\.[\w-]{43}$/);
  });

  it('has typings with its functions and their options, compiling on their own, strictly', () => {
    const typings = read('dist/relay.d.ts');
    expect(typings).toContain('export declare const createRelay: CreateRelay;');
    expect(typings).toContain('export declare const serveRelay: ServeRelay;');
    expect(typings).toContain('export declare const signIdentity: SignIdentity;');
    expect(typings).toContain('export type CreateRelay = (options: RelayOptions) => RelayHandler;');
    expect(typings).toContain('export type ServeRelay = (options: ServeRelayOptions) => Promise<RelayServer>;');
    expect(typings).toContain('export interface RelayOptions');
    expect(typings).not.toMatch(/ from '|import\(/);
    // With DOM's Request/Response (an edge host's view), and with Node's alone.
    expectCompilesAlone('dist/relay.d.ts', '--lib', 'es2022,dom', '--types', '');
    expectCompilesAlone('dist/relay.d.ts', '--lib', 'es2022', '--types', 'node');
  });
});

// `npx ecomtag-reconcile` (bin) and `import { reconcile } from 'ecomtag/reconcile'` (SPEC §8).
describe('dist/reconcile.mjs', () => {
  it('is what package.json points at: an executable bin and an export with typings', () => {
    expectBinAndExport('ecomtag-reconcile', './reconcile', 'reconcile.mjs');
  });

  it('exports reconcile and ReconcileError, and runs nothing when imported', async () => {
    const module = (await import('../../dist/reconcile.mjs')) as typeof import('../../src/reconcile/index');
    expect(Object.keys(module).sort()).toEqual(['ReconcileError', 'reconcile']);
    await expect(module.reconcile({ siteId: 0, from: '', to: '', orders: '', token: '' })).rejects.toBeInstanceOf(module.ReconcileError);
  });

  it('has typings with the function, its options and its result, compiling on their own, strictly', () => {
    const typings = read('dist/reconcile.d.ts');
    expect(typings).toContain('export declare const reconcile: (options: ReconcileOptions) => Promise<ReconcileResult>;');
    expect(typings).toContain('export declare class ReconcileError extends Error');
    expect(typings).toContain('export interface ReconcileReport');
    expect(typings).not.toMatch(/ from '|import\(/);
    expectCompilesAlone('dist/reconcile.d.ts', '--lib', 'es2022', '--types', 'node');
  });
});

// `npx ecomtag-order` (bin) and `import { createBackoffice } from 'ecomtag/backoffice'` (SPEC §6, the back office).
describe('dist/backoffice.mjs', () => {
  it('is what package.json points at: an executable bin and an export with typings', () => {
    expectBinAndExport('ecomtag-order', './backoffice', 'backoffice.mjs');
  });

  it('exports createBackoffice and BackofficeError, and runs nothing when imported', async () => {
    const module = (await import('../../dist/backoffice.mjs')) as typeof import('../../src/backoffice/index');
    expect(Object.keys(module).sort()).toEqual(['BackofficeError', 'createBackoffice']);
    expect(() => module.createBackoffice({ url: 'relay', token: 't' })).toThrow(module.BackofficeError);
  });

  it('has typings with the client, its options and its answers, compiling on their own, strictly', () => {
    const typings = read('dist/backoffice.d.ts');
    expect(typings).toContain('export declare const createBackoffice: (options: BackofficeOptions) => Backoffice;');
    expect(typings).toContain('export declare class BackofficeError extends Error');
    expect(typings).toContain('export interface BackofficeOrder');
    expect(typings).not.toMatch(/ from '|import\(/);
    expectCompilesAlone('dist/backoffice.d.ts', '--lib', 'es2022,dom', '--types', 'node');
  });
});
