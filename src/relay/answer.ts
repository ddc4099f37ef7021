/** The relay's answers: JSON, never cached, never sniffed. */
export const json = (status: number, payload: unknown, headers: Record<string, string>): Response =>
  new Response(JSON.stringify(payload), {
    status,
    headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' },
  });

/** What a request's log line says beyond its method, path and status; each lane fills in what it learnt. */
export interface RequestEntry {
  eventTypeKey: string | null;
  /** eSputnik's status for the event, when it answered. */
  upstream: number | null;
  /** eSputnik's status for the contact added before an order, when it was called. */
  contactUpstream: number | null;
  reason: string | null;
  /** The store must act: logged at error level. */
  loud: boolean;
}
