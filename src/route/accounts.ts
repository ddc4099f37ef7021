import { fail, show } from '../call/validate';
import type { Account } from '../install/config';

/** Calltouch's rule: a call without a mod_id belongs to the first account. */
export const routeToAccount = (accounts: Account[], modId: unknown): Account =>
  modId === undefined ? accounts[0] : accounts.find((account) => account.modId === modId) || fail(`no account has mod_id ${show(modId)}`);
