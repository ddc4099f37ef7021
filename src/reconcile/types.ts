/**
 * The public types of `ecomtag/reconcile` (SPEC §8). dist/reconcile.d.ts is this file, errors.ts's ReconcileError
 * and the declarations of index.ts, so nothing here imports.
 */

export interface ReconcileOptions {
  /** Calltouch's site id (Integrations → API and Webhooks). */
  siteId: number;
  /** The period, `YYYY-MM-DD`, both days included. */
  from: string;
  to: string;
  /** The store's orders file: CSV `order_id,date,product_id,name,price,quantity` or JSON `[{id, date, products}]`. */
  orders: string;
  /** Calltouch's API token (`clientApiId`). Never printed, logged or written anywhere. */
  token: string;
  /** Default `https://api.calltouch.ru`. */
  apiUrl?: string;
  /** Where a repair posts offline purchases. Default `https://mod.calltouch.ru/ecommerce.php`. */
  ecommerceUrl?: string;
  /**
   * `'dry-run'`: work out the offline purchase of every missing order not sent before, send nothing. `'send'`: send
   * them, and note each in the journal beside the orders file (`<orders>.reconcile-journal.jsonl`). Absent: no repair.
   */
  repair?: 'dry-run' | 'send';
  /** Called as pages load, retries wait and purchases go out. */
  onProgress?: (progress: ReconcileProgress) => void;
  /** Per request. Default 30000. */
  timeoutMs?: number;
  /** Default 6 tries in all, waits from 1 s doubling up to 16 s, each jittered to between half and all of it. */
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** How requests are made. Default the global fetch. */
  fetch?: typeof fetch;
}

export type ReconcileProgress =
  /** `total` is at least the pages there are, `exact` once every range's first page has said how many it has. */
  | { type: 'pages'; loaded: number; total: number; exact: boolean; deals: number }
  | { type: 'retry'; what: string; attempt: number; attempts: number; delayMs: number; reason: string }
  | { type: 'sent'; done: number; total: number };

/** Exactly what `--json` prints. */
export interface ReconcileReport {
  period: { from: string; to: string };
  /** Orders of the period with a deal that agrees. */
  matched: number;
  /** Order ids with no deal. */
  missing: string[];
  mismatched: Mismatch[];
  /** orderNumbers of the period's deals (not deleted) that no store order has. */
  onlyInCalltouch: string[];
  /** Deals deleted in Calltouch: of the store's orders (then neither missing nor matched), and of no store order. */
  deleted: string[];
}

export interface Mismatch {
  id: string;
  store: OrderSide;
  calltouch: OrderSide;
}

/** Amounts in the currency's units (150.5); null where the deal does not say. */
export interface OrderSide {
  amount: number | null;
  /** Per product id: units, and the price of one. A deal without products has none here. */
  products: Array<{ id: string | null; quantity: number | null; price: number | null }>;
}

export interface ReconcileResult {
  report: ReconcileReport;
  /**
   * 0 every order matched, 1 some are missing or mismatched. The CLI exits 2 instead when a repair could not send
   * every purchase (`repair.failed`), and when reconcile throws (ReconcileError).
   */
  exitCode: 0 | 1;
  /** Store orders in the period. */
  orders: number;
  /** Orders of the file dated outside the period: not checked. */
  outsidePeriod: Array<{ id: string; date: string }>;
  /** The missing orders with their date and amount, for people. */
  missing: Array<{ id: string; date: string; amount: number; lines: number }>;
  /** What reading the deal journal took. */
  journal: { deals: number; pages: number; ranges: Array<{ from: string; to: string }>; unreadable: string[]; notices: string[] };
  repair?: RepairResult;
}

export interface RepairResult {
  mode: 'dry-run' | 'send';
  /** The ecommerce URL. */
  url: string;
  /** The journal file. */
  journal: string;
  /** Missing orders a run before already sent, with when: not sent again. */
  alreadySent: Array<{ id: string; sentAt: string }>;
  /** The purchases this run would send (dry-run) or sent or tried to (send), in order. */
  purchases: OfflinePurchase[];
  /** Ids Calltouch accepted (send only). */
  sent: string[];
  /** Ids that could not be sent, and why (send only); they stay missing and go again next run. */
  failed: Array<{ id: string; reason: string }>;
}

/** Seed 000's offline purchase, as the tag's own mapper builds it. */
export interface OfflinePurchase {
  siteId: number;
  eventType: 'purchase' | 'refund';
  id: string;
  products: Array<{ id: string | number; name?: string; price?: number; quantity: number }>;
}
