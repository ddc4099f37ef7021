/**
 * A deal-journal record → what matching needs. Lenient where the journal may be (deals come from calls, forms,
 * CRMs and the e-commerce module alike): a value that is absent or of another type is kept as unknown (null), so
 * the order it belongs to shows as mismatched, naming it, rather than as missing, which a repair would send again.
 * Only a record without an orderNumber cannot be placed at all.
 */
import { journalDay } from '../dates';
import { toCents } from '../money';

export interface DealLine {
  id: string | null;
  quantity: number | null;
  priceCents: number | null;
}

export interface Deal {
  orderNumber: string;
  /** The day of `orderDate`, null when it is not `dd/mm/yyyy …`. */
  day: number | null;
  deleted: boolean;
  /** Σ price × quantity of its products when it has products, else plannedAmount; null when unknown. */
  amountCents: number | null;
  lines: DealLine[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const idOf = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : null;

const amountOf = (value: unknown): number | null => (typeof value === 'number' ? toCents(value) : null);

const lineOf = (product: unknown): DealLine => {
  const fields = isRecord(product) ? product : {};
  const quantity = fields.quantity;
  return {
    id: idOf(fields.externalId),
    quantity: typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= 0 ? quantity : null,
    priceCents: amountOf(fields.price),
  };
};

/** The deal, or why the record cannot be one. */
export const toDeal = (record: unknown): Deal | string => {
  if (!isRecord(record)) return 'a record that is not an object';
  const orderNumber = idOf(record.orderNumber);
  if (orderNumber === null) return 'a record without an orderNumber';
  const lines = Array.isArray(record.products) ? record.products.map(lineOf) : [];
  const sum = lines.reduce<number | null>((total, line) => (total === null || line.priceCents === null || line.quantity === null ? null : total + line.priceCents * line.quantity), 0);
  return {
    orderNumber,
    day: typeof record.orderDate === 'string' ? journalDay(record.orderDate) : null,
    deleted: record.isDeleted === true,
    amountCents: lines.length ? sum : amountOf(record.plannedAmount),
    lines,
  };
};
