/**
 * Which dates to ask the deal journal for. Seed 004 names no longest range, so a period is asked for in ranges of
 * at most MAX_RANGE_DAYS (an assumption the README names). The period is widened by MARGIN_DAYS on each side: a
 * purchase made at 23:59 reaches Calltouch after midnight, and the store's clock and Calltouch's project may keep
 * different time zones. Without the margin such an order would look missing, and a repair would send it twice.
 */

export const MAX_RANGE_DAYS = 31;
export const MARGIN_DAYS = 1;

/** Inclusive day numbers (dates.ts). */
export interface DayRange {
  from: number;
  to: number;
}

/**
 * The period plus its margins, cut into ranges of at most `maxDays` days that share their boundary day: seed 004
 * does not say whether `dateTo` is inclusive, and a deal read twice is recognised as one, while a deal on a day no
 * range covers would be lost. Each range spans two days or more, since `dateFrom` must be less than `dateTo`.
 */
export const rangesFor = (period: DayRange, maxDays = MAX_RANGE_DAYS, margin = MARGIN_DAYS): DayRange[] => {
  const first = period.from - margin;
  const last = Math.max(period.to + margin, first + 1);
  const span = last - first;
  const count = Math.ceil(span / (maxDays - 1));
  const ranges: DayRange[] = [];
  for (let i = 0; i < count; i += 1) ranges.push({ from: first + Math.round((i * span) / count), to: first + Math.round(((i + 1) * span) / count) });
  return ranges;
};
