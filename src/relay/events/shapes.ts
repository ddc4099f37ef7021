/**
 * The checks a Generate event's values go through. Each returns the value as the relay forwards it — only the fields
 * it checked, numbers as numbers, codes upper-case — or undefined after saying what is wrong. Messages name fields
 * and rules, never the values sent: they reach the log too, and values may be personal data.
 */

/**
 * Pushes what is wrong with `value` at `path` onto `errors`, and what it left out (a descriptive field it will not
 * forward) onto `notes`; returns what is forwarded when nothing is wrong.
 */
export type Check<T = unknown> = (value: unknown, path: string, errors: string[], notes: string[]) => T | undefined;

/** A field or param that may be absent (null counts as absent: it carries nothing eSputnik could misread). */
export interface Optional {
  optional: Check;
}
export type Field = Check | Optional;

/** Amounts in any currency: larger is no order anyone places (a million dollars is 25 billion dong, so 1e9 is generous only in the big currencies). */
export const AMOUNT_LIMIT = 1_000_000_000;
/** Units of one line. */
export const QUANTITY_LIMIT = 100_000;
/** Ids: products, orders, carts, categories. */
export const ID_LIMIT = 200;
/** Names, categories, searches. */
export const TEXT_LIMIT = 1000;
export const URL_LIMIT = 2048;
/** Lines of a cart, an order, a list of impressions. */
export const LINES_LIMIT = 500;

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const optional = (check: Check): Optional => ({ optional: check });

export const isPresent = (record: Record<string, unknown>, name: string): boolean =>
  Object.prototype.hasOwnProperty.call(record, name) && record[name] !== null && record[name] !== undefined;

export const text =
  (limit: number): Check<string> =>
  (value, path, errors) => {
    if (typeof value !== 'string' || value.trim() === '') errors.push(`${path} must be a non-empty string`);
    else if (value.length > limit) errors.push(`${path} must be at most ${limit} characters`);
    else return value;
  };

export const string =
  (limit: number): Check<string> =>
  (value, path, errors) => {
    if (typeof value !== 'string') errors.push(`${path} must be a string`);
    else if (value.length > limit) errors.push(`${path} must be at most ${limit} characters`);
    else return value;
  };

const bounded = (number: number, path: string, errors: string[]) => {
  if (number < 0) errors.push(`${path} must not be negative`);
  else if (number > AMOUNT_LIMIT) errors.push(`${path} must be at most ${AMOUNT_LIMIT}`);
  else return number;
};

/** Inside a JSON value the field tables say Double/Decimal: a JSON number, finite, 0 to AMOUNT_LIMIT. */
export const amount: Check<number> = (value, path, errors) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) errors.push(`${path} must be a number`);
  else return bounded(value, path, errors);
};

/** A whole number of units, 1 to QUANTITY_LIMIT. */
export const count: Check<number> = (value, path, errors) => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) errors.push(`${path} must be a whole number of at least 1`);
  else if (value > QUANTITY_LIMIT) errors.push(`${path} must be at most ${QUANTITY_LIMIT}`);
  else return value;
};

const DECIMAL = /^\d{1,10}(\.\d{1,10})?$/;
/** A param's own amount is a string on the wire ("258.0" in seed 001), or a bare number; forwarded as a string. */
export const decimal: Check<string> = (value, path, errors) => {
  const written = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : null;
  if (written === null || !DECIMAL.test(written)) errors.push(`${path} must be a number in decimal notation, at least 0`);
  else if (bounded(Number(written), path, errors) !== undefined) return written;
};

/** isInStock / isFound: an Int of 0 or 1 (seed 002), as a number or, from older tags, a string. */
export const flag: Check<number> = (value, path, errors) => {
  if (value !== 0 && value !== 1 && value !== '0' && value !== '1') errors.push(`${path} must be 0 or 1`);
  else return Number(value);
};

/** discount: a String in cartUpdated's table; a number means the same. Forwarded as the table types it. */
export const discount: Check<string> = decimal;

/** A scheme's `://` or a `www.`: what mail programs turn into a link. */
const LINK = /[a-z][a-z0-9+.-]*:\/\/|www\./i;

/**
 * A name shown in the store's mail (a cart line's name or category): one that carries a link is left out, with a
 * note, rather than lend the store's sender to someone else's page.
 */
export const label =
  (limit: number): Check<string> =>
  (value, path, errors, notes) => {
    const checked = string(limit)(value, path, errors, notes);
    if (checked === undefined || !LINK.test(checked)) return checked;
    notes.push(`${path} left out: it carries a link`);
  };

export const hasLink = (value: string): boolean => LINK.test(value);

const CURRENCY = /^[A-Za-z]{3}$/;
export const currency: Check<string> = (value, path, errors) => {
  if (typeof value !== 'string' || !CURRENCY.test(value)) errors.push(`${path} must be an ISO 4217 code such as RUB`);
  else return value.toUpperCase();
};

export const ORDER_STATUSES = ['INITIALIZED', 'IN_PROGRESS', 'DELIVERED', 'CANCELLED', 'ABANDONED_SHOPPING_CART'] as const;
export const status: Check<string> = (value, path, errors) => {
  if (!(ORDER_STATUSES as readonly unknown[]).includes(value)) errors.push(`${path} must be one of ${ORDER_STATUSES.join(', ')}`);
  else return value as string;
};

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
/** `YYYY-MM-ddTHH:mm:ss` as a wall-clock reading, in milliseconds as if it were UTC; null when it is none. */
export const dateTimeMs = (value: string): number | null => {
  const match = DATE_TIME.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const exact = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return exact ? date.getTime() : null;
};

/** `YYYY-MM-ddTHH:mm:ss` (seed 001), and a real calendar time: eSputnik ignores an order it cannot date. */
export const dateTime: Check<string> = (value, path, errors) => {
  if (typeof value !== 'string' || dateTimeMs(value) === null) errors.push(`${path} must be a date YYYY-MM-ddTHH:mm:ss`);
  else return value;
};

/** Only the declared fields are forwarded, in the declared order: whatever else a client put there stays behind. */
export const object =
  (fields: Record<string, Field>): Check<Record<string, unknown>> =>
  (value, path, errors, notes) => {
    if (!isObject(value)) {
      errors.push(`${path} must be an object`);
      return;
    }
    const before = errors.length;
    const checked: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(fields)) {
      const at = `${path}.${name}`;
      if (!isPresent(value, name)) {
        if (typeof field === 'function') errors.push(`${at} is required`);
        continue;
      }
      const result = (typeof field === 'function' ? field : field.optional)(value[name], at, errors, notes);
      if (result !== undefined) checked[name] = result;
    }
    return errors.length === before ? checked : undefined;
  };

export const array =
  (item: Check): Check<unknown[]> =>
  (value, path, errors, notes) => {
    if (!Array.isArray(value)) {
      errors.push(`${path} must be an array`);
      return;
    }
    if (value.length > LINES_LIMIT) {
      errors.push(`${path} must have at most ${LINES_LIMIT} entries`);
      return;
    }
    const before = errors.length;
    const checked = value.map((entry, index) => item(entry, `${path}[${index}]`, errors, notes));
    return errors.length === before ? checked : undefined;
  };

/**
 * product, products, items, page, category: the tag sends a JSON string, as the field tables say; seed 001 shows
 * eSputnik taking the raw array or object as well. Forwarded as a JSON string of what was checked.
 */
export const json =
  (shape: Check, expected: 'array' | 'object'): Check<string> =>
  (value, path, errors, notes) => {
    let parsed = value;
    if (typeof value === 'string') {
      try {
        parsed = JSON.parse(value);
      } catch {
        errors.push(`${path} must be a JSON ${expected}`);
        return;
      }
    }
    if (expected === 'array' ? !Array.isArray(parsed) : !isObject(parsed)) {
      errors.push(`${path} must be a JSON ${expected}`);
      return;
    }
    const checked = shape(parsed, path, errors, notes);
    return checked === undefined ? undefined : JSON.stringify(checked);
  };
