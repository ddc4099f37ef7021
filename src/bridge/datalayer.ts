import { METHODS } from '../call/event';
import type { Method } from '../types';

/**
 * The dataLayer bridge (reference/datalayer.md): the e-commerce a store already pushes for Google Analytics or
 * Yandex.Metrica becomes our calls. It reads shapes and judges nothing: the tag's validation reports bad data.
 */

export type DataLayerParams = { id?: string | number; products: Array<Record<string, unknown>>; currency?: string };
export type DataLayerCall = (method: Method, params: DataLayerParams) => void;

type Bag = Record<string | number, unknown>;

// Arrays looked up by index, not objects by key: a push naming `toString` or `__proto__` finds nothing.
/** GA4 event names (GTM's `event`, gtag's second argument), in the order of METHODS. */
const GA4_EVENTS = ['view_item', 'add_to_cart', 'remove_from_cart', 'begin_checkout', 'purchase', 'refund'];
/** Universal Analytics and Metrica action keys under `ecommerce`, in the order of METHODS; Metrica adds `delete`. */
const UA_ACTIONS = ['detail', 'add', 'remove', 'checkout', 'purchase', 'refund', 'delete'];
/** Our product fields. GA4 spells some as `item_<field>`; UA and Metrica use ours. */
const FIELDS = ['id', 'name', 'price', 'brand', 'category', 'variant', 'quantity', 'url', 'imageUrl', 'discount'];

/** A fresh object of our fields only, so nothing else of the store's item (getters, cycles) comes along. */
const toProduct = (item: unknown) => {
  const source = Object(item) as Bag;
  const product: Bag = {};
  // The GA4 spelling wins when an item carries both.
  for (const field of FIELDS) for (const key of [field, 'item_' + field]) if (source[key] != null) product[field] = source[key];
  // GA4 splits the category over item_category … item_category5; Metrica reads them joined by "/".
  const levels = ['', 2, 3, 4, 5].map((level) => source['item_category' + level]).filter(Boolean).join('/');
  if (levels) product.category = levels;
  return product;
};

/** Our call for one dataLayer entry, or undefined when the entry carries no e-commerce we know. */
export const fromDataLayer = (entry: unknown): [Method, DataLayerParams] | undefined => {
  // Ordinary pushes are read without throwing (a store's debugger paused on caught exceptions stays quiet);
  // the try is for hostile ones: getters that throw, proxies.
  try {
    const push = Object(entry) as Bag;
    // gtag('event', name, params) pushes its `arguments`, whose params carry items, transaction_id, currency.
    const gtag = push[0] === 'event';
    const data = (gtag ? push[2] : push.ecommerce) as Bag | undefined;
    // GTM's clearing push `{ecommerce: null}` and pushes without e-commerce end here.
    if (!data) return;
    // A UA action key decides first: UA pushes often carry an `event` too, sometimes a GA4 name.
    const index = UA_ACTIONS.findIndex((key) => data[key]);
    const action = (index >= 0 && data[UA_ACTIONS[index]]) as Bag | false;
    const method = action ? METHODS[index > 5 ? 2 : index] : METHODS[GA4_EVENTS.indexOf((gtag ? push[1] : push.event) as string)];
    const list = action ? action.products : data.items;
    // A refund without items or products is a full refund: products [].
    if (method) return [method, { id: (action ? Object(action.actionField).id : data.transaction_id) as string, products: Array.isArray(list) ? list.map(toProduct) : [], currency: (data.currency || data.currencyCode) as string }];
  } catch {
    // An entry we cannot read is not e-commerce we know.
  }
};

/** Reads `array` from now on: its entries so far, then every push, in order, each once. */
const observe = (array: unknown[], call: DataLayerCall) => {
  // Entries wait here until read; the one being read leaves last. So a push made while the queue is not
  // empty (from our call, or from a wrapper below us that pushes while handling a push) only joins it, and is
  // read after the current entry by the loop already running: order kept, no recursion.
  const queue = array.slice();
  const push = array.push;
  const drain = () => {
    for (; queue.length; queue.shift()) {
      const found = fromDataLayer(queue[0]);
      try {
        if (found) call(...found);
      } catch {
        // The tag guards its calls; this keeps a store's push from ever failing because of us.
      }
    }
  };
  // Keeps whatever push was there (the array's own, or GTM's or Metrica's wrapper, which we then call); a
  // wrapper installed after ours calls this one. Either way every observer sees every entry once. The same
  // `this`, arguments and result; an error of the store's push reaches its caller as it is, after the read.
  array.push = function (this: unknown, ...entries: unknown[]) {
    const outer = !queue.length;
    queue.push(...entries);
    try {
      return push.apply(this, entries);
    } finally {
      if (outer) drain();
    }
  };
  drain();
};

/**
 * Reads e-commerce from `win[name]`: the entries already there once, at start, then every push as it comes;
 * hands each as `call(method, params)`.
 *
 * A missing array is created, as GTM's and gtag's snippets do (`w[name] = w[name] || []`), so the scripts that
 * come later push into the array we read. A page may still assign a new one (`var dataLayer = [...]` in an
 * inline script that runs after this async tag). Its entries stay in it, so reading it late loses nothing: it
 * is looked for when parsing ends (`readystatechange` to interactive: inline scripts have run), when loading
 * ends (to complete: async ones too) and when the page goes (`pagehide`). A few checks per page instead of
 * polling; the arrays read before are still read, for scripts that kept a reference to them.
 */
export const bridgeDataLayer = (win: Window, name: string, call: DataLayerCall): void => {
  /** The arrays this tag reads, each once however often it is found again. */
  const read: unknown[] = [];
  const check = () => {
    try {
      const array = (win as unknown as Bag)[name] || ((win as unknown as Bag)[name] = []);
      if (Array.isArray(array) && read.indexOf(array) < 0) {
        observe(array, call);
        read.push(array);
      }
    } catch {
      // An array that refuses a new push (frozen, or a proxy that throws): nothing thrown into the page.
    }
  };
  check();
  win.document.addEventListener('readystatechange', check);
  win.addEventListener('pagehide', check);
};
