/**
 * `ecomtag/reconcile` (SPEC §8): reconcile() for code, and `npx ecomtag-reconcile` when this file is run.
 * dist/reconcile.d.ts is types.ts, errors.ts and the declarations below, which is why they are typed by names from
 * types.ts.
 */
import { isMain } from '../node/is-main';
import { runCli } from './cli/run';
import { reconcile as run } from './reconcile';
import type { ReconcileOptions, ReconcileResult } from './types';

export { ReconcileError } from './errors';
export type { Mismatch, OfflinePurchase, OrderSide, ReconcileOptions, ReconcileProgress, ReconcileReport, ReconcileResult, RepairResult } from './types';

/**
 * Reads the orders file, the deal journal for the period, and reports; with `repair`, plans or sends the missing
 * orders' offline purchases. Throws ReconcileError on bad options or input (before any request) and when the deal
 * journal cannot be read.
 */
export const reconcile: (options: ReconcileOptions) => Promise<ReconcileResult> = run;

if (isMain(import.meta.url)) process.exitCode = await runCli(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr });
