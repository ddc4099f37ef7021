/**
 * `ecomtag/backoffice` (SPEC §6): createBackoffice() for a store's server, and `npx ecomtag-order` when this file is
 * run. dist/backoffice.d.ts is types.ts, errors.ts and the declarations below, which is why they are typed by names
 * from types.ts.
 */
import { isMain } from '../node/is-main';
import { runCli } from './cli/run';
import { createBackoffice as create } from './client';
import type { Backoffice, BackofficeOptions } from './types';

export { BackofficeError } from './errors';
export type {
  Backoffice,
  BackofficeAnswer,
  BackofficeContact,
  BackofficeDestination,
  BackofficeOptions,
  BackofficeOrder,
  BackofficeProduct,
  BackofficeRefundLine,
  BackofficeRequest,
  BackofficeResult,
  BackofficeStatus,
  DestinationAnswer,
  OrderAnswer,
} from './types';

/**
 * The client of the relay's back office: `orderStatus(order | orders)` and `refund(id, products?)`, each posting with
 * retries for what the relay answers retryable. Throws BackofficeError at once on options it cannot use.
 */
export const createBackoffice: (options: BackofficeOptions) => Backoffice = create;

if (isMain(import.meta.url)) process.exitCode = await runCli(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr });
