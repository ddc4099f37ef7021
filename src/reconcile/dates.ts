/**
 * Calendar dates as day numbers (days since 1970-01-01), so ranges are plain arithmetic. The store's dates are
 * `YYYY-MM-DD`; the deal journal writes and reads `dd/mm/yyyy` (seed 004; Calltouch's other exports use
 * `mm/dd/yyyy`). Neither carries a time zone: both are wall-clock dates, compared as such.
 */

const DAY_MS = 86_400_000;

const day = (year: number, month: number, date: number): number | null => {
  const ms = Date.UTC(year, month - 1, date);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March; a real date comes back as itself.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== date) return null;
  return ms / DAY_MS;
};

const TIME = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

/** `2026-11-01`, or with a time `2026-11-01 10:15:00` when `withTime` allows it; null when it is no real date. */
export const isoDay = (text: string, withTime = false): number | null => {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?: (.*))?$/.exec(text);
  if (!match || (match[4] !== undefined && !(withTime && TIME.test(match[4])))) return null;
  return day(+match[1], +match[2], +match[3]);
};

/** The deal journal's `dd/mm/yyyy`, optionally followed by a time (orderDate is `dd/mm/yyyy hh:mm:ss`). */
export const journalDay = (text: string): number | null => {
  const match = /^(\d{2})\/(\d{2})\/(\d{4})(?:\s|$)/.exec(text);
  return match ? day(+match[3], +match[2], +match[1]) : null;
};

const parts = (dayNumber: number) => {
  const date = new Date(dayNumber * DAY_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { year: String(date.getUTCFullYear()), month: pad(date.getUTCMonth() + 1), date: pad(date.getUTCDate()) };
};

export const formatIso = (dayNumber: number): string => {
  const { year, month, date } = parts(dayNumber);
  return `${year}-${month}-${date}`;
};

export const formatJournal = (dayNumber: number): string => {
  const { year, month, date } = parts(dayNumber);
  return `${date}/${month}/${year}`;
};
