/**
 * Amounts in whole cents, so sums compare exactly: 0.1 + 0.2 is 30 cents, not 0.30000000000000004 roubles.
 * Decimal text is read digit by digit; a number is read through its shortest decimal form ("1.005", which
 * multiplying by 100 would make 100.49999…).
 */

const DECIMAL = /^(\d+)(?:[.,](\d*))?$/;

/** Cents of an amount >= 0 (`150.50`, `150,5`, `101`, 150.5), rounded half up; null when it is not one. */
export const toCents = (value: string | number): number | null => {
  if (typeof value === 'number' && !(Number.isFinite(value) && value >= 0)) return null;
  const match = DECIMAL.exec(typeof value === 'number' ? String(value) : value.trim());
  if (!match) return null;
  const fraction = (match[2] ?? '').padEnd(3, '0');
  const cents = Number(match[1]) * 100 + Number(fraction.slice(0, 2)) + (fraction[2] >= '5' ? 1 : 0);
  return Number.isSafeInteger(cents) ? cents : null;
};

/** Back to the currency's units, as JSON carries amounts: 15050 → 150.5. */
export const fromCents = (cents: number): number => cents / 100;

/** For people: 15050 → "150.50". */
export const formatCents = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
