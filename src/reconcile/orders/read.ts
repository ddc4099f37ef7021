/**
 * The store's orders file → orders, or every problem in it with its place. CSV (`order_id,date,product_id,name,
 * price,quantity`, one row per order line) or JSON (`[{id, date, products: [{id, name, price, quantity}]}]`);
 * which one is read from the content, not the name. A UTF-8 BOM (what Excel writes) is dropped.
 */
import { readFile, stat } from 'node:fs/promises';
import { isoDay } from '../dates';
import { ReconcileError } from '../errors';
import { toCents } from '../money';
import { parseCsv, separatorOf } from './csv';

export interface StoreLine {
  id: string;
  /** Empty when the file has none. */
  name: string;
  priceCents: number;
  quantity: number;
}

export interface StoreOrder {
  id: string;
  /** `YYYY-MM-DD` */
  date: string;
  /** The day number of `date` (dates.ts). */
  day: number;
  lines: StoreLine[];
  /** Where it is in the file, for messages: `line 4` or `[3]`. */
  at: string;
}

/** A month of a busy store is a few megabytes; past this the file is not an orders export. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
const MAX_ID = 200;
const MAX_NAME = 1000;
/** Quantities are whole units (Calltouch's `quantity` is an int); more than this is a typo. */
const MAX_QUANTITY = 1_000_000;

const CSV_COLUMNS = ['order_id', 'date', 'product_id', 'name', 'price', 'quantity'] as const;

/** Reads and checks the file; throws ReconcileError('input') listing every problem. */
export const readOrders = async (path: string): Promise<StoreOrder[]> => {
  let text: string;
  try {
    const { size } = await stat(path);
    if (size > MAX_FILE_BYTES) throw new ReconcileError('input', [`${path}: ${size} bytes is more than an orders export holds (at most ${MAX_FILE_BYTES})`]);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof ReconcileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReconcileError('input', [`${path}: cannot be read (${code ?? (error as Error).message})`]);
  }
  const { orders, problems } = parseOrders(text);
  if (problems.length) throw new ReconcileError('input', problems.map((problem) => `${path}: ${problem}`));
  if (!orders.length) throw new ReconcileError('input', [`${path}: no orders in it`]);
  return orders;
};

export const parseOrders = (raw: string): { orders: StoreOrder[]; problems: string[] } => {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  return text.trimStart().startsWith('[') ? parseJsonOrders(text) : parseCsvOrders(text);
};

/** How a problem names a field where it is: `line 4: price …` in CSV, `[3] (order 5609): products[0].price …` in JSON. */
type Label = (field: string) => string;

/** An id or a name as text: strings trimmed, numbers (JSON ids) in their decimal form. */
const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : '');

const show = (value: unknown): string =>
  value === undefined ? 'nothing' : typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : String(JSON.stringify(value));

const checkId = (value: unknown, label: string, problems: string[]): string | null => {
  const id = text(value);
  if (!id) problems.push(`${label} is empty`);
  else if (id.length > MAX_ID) problems.push(`${label} is longer than ${MAX_ID} characters`);
  else return id;
  return null;
};

const checkDate = (value: unknown, label: string, problems: string[]): number | null => {
  const day = typeof value === 'string' ? isoDay(value.trim(), true) : null;
  if (day === null) problems.push(`${label} must be YYYY-MM-DD or YYYY-MM-DD HH:mm:ss, got ${show(value)}`);
  return day;
};

/** One order line's values, checked; each problem names its field. */
const toLine = (fields: { id: unknown; name: unknown; price: unknown; quantity: unknown }, label: Label, problems: string[]): StoreLine | null => {
  const before = problems.length;
  const id = checkId(fields.id, label('id'), problems);
  const name = text(fields.name);
  if (name.length > MAX_NAME) problems.push(`${label('name')} is longer than ${MAX_NAME} characters`);
  const priceCents = typeof fields.price === 'string' || typeof fields.price === 'number' ? toCents(fields.price) : null;
  if (priceCents === null) problems.push(`${label('price')} must be an amount >= 0 such as 150.50, got ${show(fields.price)}`);
  const quantity = typeof fields.quantity === 'string' && /^\s*\d+\s*$/.test(fields.quantity) ? Number(fields.quantity) : fields.quantity;
  if (!(typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= 1 && quantity <= MAX_QUANTITY)) {
    problems.push(`${label('quantity')} must be a whole number from 1 to ${MAX_QUANTITY}, got ${show(fields.quantity)}`);
  }
  return problems.length > before || id === null || priceCents === null ? null : { id, name, priceCents, quantity: quantity as number };
};

const parseCsvOrders = (text: string): { orders: StoreOrder[]; problems: string[] } => {
  const firstLine = /^[^\r\n]*/.exec(text)?.[0] ?? '';
  const { records, problems: syntax } = parseCsv(text, separatorOf(firstLine));
  const problems = syntax.map(({ line, message }) => `line ${line}: ${message}`);
  const [header, ...rows] = records;
  if (!header || header.line !== 1) return { orders: [], problems: [`line 1: a header row is needed: ${CSV_COLUMNS.join(',')}`, ...problems] };
  const names = header.fields.map((name) => name.trim().toLowerCase());
  const absent = CSV_COLUMNS.filter((column) => !names.includes(column));
  if (absent.length) return { orders: [], problems: [`line 1: the header has no ${absent.join(', ')} column (it needs ${CSV_COLUMNS.join(',')})`, ...problems] };
  const column = Object.fromEntries(CSV_COLUMNS.map((name) => [name, names.indexOf(name)])) as Record<(typeof CSV_COLUMNS)[number], number>;

  const byId = new Map<string, StoreOrder>();
  for (const { line, fields } of rows) {
    if (fields.length !== names.length) {
      problems.push(`line ${line}: ${fields.length} fields, the header has ${names.length}`);
      continue;
    }
    const label: Label = (field) => `line ${line}: ${field === 'id' ? 'product_id' : field}`;
    const before = problems.length;
    const id = checkId(fields[column.order_id], `line ${line}: order_id`, problems);
    const day = checkDate(fields[column.date], `line ${line}: date`, problems);
    const orderLine = toLine({ id: fields[column.product_id], name: fields[column.name], price: fields[column.price], quantity: fields[column.quantity] }, label, problems);
    if (problems.length > before || id === null || day === null || orderLine === null) continue;
    const date = fields[column.date].trim().slice(0, 10);
    const order = byId.get(id);
    if (!order) byId.set(id, { id, date, day, lines: [orderLine], at: `line ${line}` });
    else if (order.date !== date) problems.push(`line ${line}: order ${id} is dated ${date} here but ${order.date} on ${order.at}`);
    else order.lines.push(orderLine);
  }
  return { orders: [...byId.values()], problems };
};

const parseJsonOrders = (text: string): { orders: StoreOrder[]; problems: string[] } => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { orders: [], problems: [`not valid JSON: ${(error as Error).message}`] };
  }
  if (!Array.isArray(value)) return { orders: [], problems: ['JSON orders must be an array: [{id, date, products: [{id, name, price, quantity}]}]'] };
  const problems: string[] = [];
  const orders: StoreOrder[] = [];
  const seen = new Map<string, string>();
  value.forEach((entry: unknown, index) => {
    const at = `[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${at}: an order must be an object {id, date, products}`);
      return;
    }
    const order = entry as Record<string, unknown>;
    const before = problems.length;
    const id = checkId(order.id, `${at}: id`, problems);
    const prefix = id === null ? `${at}: ` : `${at} (order ${id}): `;
    const day = checkDate(order.date, `${prefix}date`, problems);
    const products = order.products;
    const lines: StoreLine[] = [];
    if (!Array.isArray(products) || products.length === 0) problems.push(`${prefix}products must be a non-empty array`);
    else {
      products.forEach((product: unknown, i) => {
        const place = `${prefix}products[${i}]`;
        if (typeof product !== 'object' || product === null || Array.isArray(product)) problems.push(`${place} must be an object {id, name, price, quantity}`);
        else {
          const fields = product as Record<string, unknown>;
          const line = toLine({ id: fields.id, name: fields.name, price: fields.price, quantity: fields.quantity }, (field) => `${place}.${field}`, problems);
          if (line) lines.push(line);
        }
      });
    }
    if (id !== null && seen.has(id)) problems.push(`${prefix}listed twice (also at ${seen.get(id)})`);
    if (id !== null) seen.set(id, at);
    if (problems.length === before && id !== null && day !== null) orders.push({ id, date: (order.date as string).trim().slice(0, 10), day, lines, at });
  });
  return { orders, problems };
};
