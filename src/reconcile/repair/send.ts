/**
 * Posts offline purchases to Calltouch's ecommerce.php as seed 000 says (`Accept: application/json`,
 * `Cache-Control: no-cache`), through the same limiter as the deal journal's pages, and notes each answer in the
 * journal before the next one is looked at.
 */
import { GaveUp, send, type Http } from '../http/request';
import type { OfflinePurchase } from '../types';
import { appendLine } from './journal';

export interface SendOutcome {
  sent: string[];
  failed: Array<{ id: string; reason: string }>;
}

export const sendPurchases = async (
  http: Http,
  url: string,
  purchases: OfflinePurchase[],
  journal: string,
  onSent?: (done: number, total: number) => void,
): Promise<SendOutcome> => {
  const outcome: SendOutcome = { sent: [], failed: [] };
  let done = 0;
  await Promise.all(
    purchases.map(async (purchase) => {
      let reason: string | null = null;
      try {
        const answer = await send(http, `the purchase of order ${purchase.id}`, () =>
          new Request(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Cache-Control': 'no-cache' },
            body: JSON.stringify(purchase),
          }),
        );
        if (answer.status < 200 || answer.status >= 300) reason = `HTTP ${answer.status}${answer.text.trim() ? `: ${http.redact(answer.text.replace(/\s+/g, ' ').trim()).slice(0, 200)}` : ''}`;
      } catch (error) {
        if (!(error instanceof GaveUp)) throw error;
        reason = `${error.reason}, ${error.attempts} tries`;
      }
      await appendLine(journal, { id: purchase.id, sentAt: new Date().toISOString(), status: reason === null ? 'sent' : 'failed', ...(reason === null ? {} : { reason }) });
      if (reason === null) outcome.sent.push(purchase.id);
      else outcome.failed.push({ id: purchase.id, reason });
      done += 1;
      onSent?.(done, purchases.length);
    }),
  );
  // In the order they were given, whatever order the answers came in.
  const order = new Map(purchases.map((purchase, index) => [purchase.id, index]));
  const position = (id: string) => order.get(id) ?? 0;
  outcome.sent.sort((a, b) => position(a) - position(b));
  outcome.failed.sort((a, b) => position(a.id) - position(b.id));
  return outcome;
};
