/**
 * `YYYY-MM-ddTHH:mm:ss` in the store's time zone (`timeZone`), as seed 001 writes an order's date, without a
 * zone: whatever the shopper's clock is set to, an order placed at 13:11 in Moscow is dated 13:11 there. Swedish
 * writes dates and times as ISO 8601 does. Throws for a zone the browser does not know.
 */
export const storeTime = (now: number, timeZone: string): string => new Date(now).toLocaleString('sv-SE', { timeZone }).replace(' ', 'T');
