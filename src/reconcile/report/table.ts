/**
 * The report as a person reads it on stdout: the counts, then the missing orders and, for each mismatched one,
 * only what differs. `--json` prints ReconcileReport instead (cli/run.ts).
 */
import type { Mismatch, OrderSide, ReconcileResult, RepairResult } from '../types';

/** Lists longer than this are cut in the table; `--json` has them whole. */
const LIST_LIMIT = 50;

/** `1 deal`, `2 deals`. */
export const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const amount = (value: number | null) => (value === null ? 'unknown' : value.toFixed(2));

const columns = (rows: string[][]): string[] => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')}`.trimEnd());
};

const ids = (list: string[]): string => {
  const shown = list.slice(0, LIST_LIMIT).join(', ');
  return list.length > LIST_LIMIT ? `${shown}, … and ${list.length - LIST_LIMIT} more (--json lists them all)` : shown;
};

const units = (product: OrderSide['products'][number] | undefined) =>
  product ? `${product.quantity ?? '?'} × ${amount(product.price)}` : '—';

/** The rows of a mismatch that differ: the amount, then each product whose units or price differ. */
const differences = ({ store, calltouch }: Mismatch): string[][] => {
  const rows: string[][] = [];
  if (store.amount !== calltouch.amount) rows.push(['amount', `store ${amount(store.amount)}`, `Calltouch ${amount(calltouch.amount)}`]);
  // A deal without products says nothing about them: only its amount can differ.
  if (!calltouch.products.length) return rows;
  const theirs = new Map(calltouch.products.map((product) => [product.id, product]));
  const ours = new Map(store.products.map((product) => [product.id, product]));
  for (const id of new Set([...ours.keys(), ...theirs.keys()])) {
    const a = ours.get(id);
    const b = theirs.get(id);
    if (a && b && a.quantity === b.quantity && a.price === b.price) continue;
    rows.push([`product ${id ?? '(no externalId)'}`, `store ${units(a)}`, `Calltouch ${units(b)}`]);
  }
  return rows;
};

export const renderTable = (result: ReconcileResult, siteId: number): string => {
  const { report } = result;
  const out: string[] = [];
  out.push(`Calltouch site ${siteId}, orders of ${report.period.from} to ${report.period.to}`);
  const { ranges } = result.journal;
  out.push(
    `Deal journal: ${count(result.journal.deals, 'deal')} on ${count(result.journal.pages, 'page')}, read for ${ranges[0].from} to ${ranges[ranges.length - 1].to}` +
      ` (a day more each side${ranges.length > 1 ? `, in ${ranges.length} ranges` : ''})`,
  );
  out.push('');
  const counts: Array<[string, number]> = [
    ['store orders', result.orders],
    ['matched', report.matched],
    ['missing', report.missing.length],
    ['mismatched', report.mismatched.length],
    ['only in Calltouch', report.onlyInCalltouch.length],
    ['deleted in Calltouch', report.deleted.length],
  ];
  const width = Math.max(...counts.map(([, count]) => String(count).length));
  out.push(...counts.map(([label, count]) => `  ${label.padEnd(22)}${String(count).padStart(width)}`));
  if (result.missing.length) {
    out.push('', 'Missing: no deal in Calltouch');
    out.push(...columns([['order', 'date', 'amount', 'lines'], ...result.missing.map((order) => [order.id, order.date, amount(order.amount), String(order.lines)])]));
  }
  if (report.mismatched.length) {
    out.push('', 'Mismatched: the deal differs from the order');
    for (const mismatch of report.mismatched) out.push(`  order ${mismatch.id}`, ...columns(differences(mismatch)).map((row) => `  ${row}`));
  }
  if (report.onlyInCalltouch.length) out.push('', `Only in Calltouch (deals of the period no store order has): ${ids(report.onlyInCalltouch)}`);
  if (report.deleted.length) out.push('', `Deleted in Calltouch (not counted, never sent again): ${ids(report.deleted)}`);
  if (result.outsidePeriod.length) {
    out.push('', `Not checked: ${count(result.outsidePeriod.length, 'order')} of the file dated outside the period: ${ids(result.outsidePeriod.map((order) => `${order.id} (${order.date})`))}`);
  }
  if (result.journal.unreadable.length) out.push('', `Deals that could not be read: ${result.journal.unreadable.length}`, ...result.journal.unreadable.slice(0, LIST_LIMIT).map((line) => `  ${line}`));
  if (!result.exitCode) out.push('', 'Every order of the period is in Calltouch.');
  else if (report.missing.length && !result.repair) out.push('', `${report.missing.length} missing: run again with --repair to see the purchases that would send them.`);
  return `${out.join('\n')}\n`;
};

/** What a repair would send, or what it sent. */
export const renderRepair = (repair: RepairResult): string => {
  const out: string[] = [];
  for (const { id, sentAt } of repair.alreadySent) out.push(`Order ${id} was sent by --repair at ${sentAt}; Calltouch does not list it yet. Not sent again (${repair.journal}).`);
  if (!repair.purchases.length) {
    out.push(repair.alreadySent.length ? 'Nothing else to send.' : 'Nothing to send.');
    return `${out.join('\n')}\n`;
  }
  if (repair.mode === 'dry-run') {
    out.push(`Would send ${count(repair.purchases.length, 'offline purchase')} to ${repair.url} (run again with --yes to send):`);
    for (const purchase of repair.purchases) out.push(JSON.stringify(purchase));
  } else {
    out.push(`Sent ${repair.sent.length} of ${count(repair.purchases.length, 'offline purchase')} to ${repair.url}${repair.sent.length ? `: ${ids(repair.sent)}` : ''}.`);
    for (const { id, reason } of repair.failed) out.push(`Order ${id} could not be sent (${reason}); it stays missing and goes again next run.`);
    out.push(`Journal: ${repair.journal}`);
  }
  return `${out.join('\n')}\n`;
};
