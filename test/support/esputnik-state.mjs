// What the stand-in eSputnik keeps, as the real one does (reference/esputnik.md §3, seed 001): contacts, known by
// email (without case), phone and externalCustomerId (exactly), and orders by externalOrderId with their status
// history. Like the real one it answers 200 to an event it then ignores: an orderCreated for a contact it does not
// know, or whose items lack a field seed 001 requires; an orderDelivered or orderCancelled of an order it does not
// have. So a test asserts what eSputnik *recorded*, never merely what it received.

/** Seed 001: every line of `items` must have all of these, or eSputnik ignores the order. */
export const REQUIRED_ITEM_FIELDS = ['externalItemId', 'name', 'quantity', 'cost', 'url', 'imageUrl'];
/** What orderCreated requires beyond its id and contact (seed 001); an orderUpdated that creates an order too. */
const ORDER_CREATED_PARAMS = ['totalCost', 'status', 'date'];
/** The params an order names its contact by (seed 001), in the order they are tried. */
const ORDER_CONTACT_PARAMS = ['externalCustomerId', 'email', 'phone'];

/**
 * @typedef {object} Contact
 * @property {number} id  eSputnik's own id
 * @property {string[]} emails  lower-case
 * @property {string[]} phones
 * @property {string | null} externalCustomerId
 */

/**
 * @typedef {object} OrderState
 * @property {string} externalOrderId
 * @property {number} contactId
 * @property {string} status  INITIALIZED, IN_PROGRESS, DELIVERED, CANCELLED, ABANDONED_SHOPPING_CART
 * @property {string} totalCost
 * @property {unknown[] | null} items  null when the order came without them
 * @property {string | null} recycleStateId
 * @property {Array<{eventTypeKey: string, status: string}>} history
 */

/**
 * @typedef {object} Verdict what the stand-in did with a request it took (answered 200)
 * @property {'recorded' | 'ignored' | 'duplicate'} outcome
 * @property {string | null} note  why it was ignored, or what it recorded
 */

/**
 * @typedef {object} EventRecord one Generate event as eSputnik filed it
 * @property {string} eventTypeKey
 * @property {string} keyValue
 * @property {number | null} contactId  the contact it was filed under; null when eSputnik knows none
 * @property {'recorded' | 'ignored'} outcome
 * @property {string | null} note
 * @property {Record<string, string>} params
 */

/** @param {unknown} body @returns {Record<string, string>} */
function paramsOf(body) {
  /** @type {Record<string, string>} */
  const params = {};
  const list = /** @type {{params?: unknown}} */ (body).params;
  if (Array.isArray(list)) for (const { name, value } of list) params[name] = value;
  return params;
}

export class EsputnikState {
  /** @type {Contact[]} */
  #contacts = [];
  /** @type {Map<string, OrderState>} */
  #orders = new Map();
  /** @type {EventRecord[]} */
  #events = [];
  /** @type {Set<string>} raw bodies already taken, per path */
  #taken = new Set();
  #duplicates = false;
  #nextId = 1;

  /** Forgets every contact, order and event; stops answering "Duplicated request". */
  reset() {
    this.#contacts = [];
    this.#orders = new Map();
    this.#events = [];
    this.#taken = new Set();
    this.#duplicates = false;
    this.#nextId = 1;
  }

  /**
   * From now on, answers a request identical to one it already took with eSputnik's non-2xx "Duplicated request"
   * (it takes nothing from it), as eSputnik may for a retry.
   * @param {boolean} [on]
   */
  duplicates(on = true) {
    this.#duplicates = on;
  }

  /** @returns {Contact[]} */
  get contacts() {
    return this.#contacts.map((contact) => ({ ...contact, emails: [...contact.emails], phones: [...contact.phones] }));
  }

  /** @returns {EventRecord[]} every Generate event it took, recorded or ignored, in order */
  get events() {
    return this.#events.map((event) => ({ ...event, params: { ...event.params } }));
  }

  /**
   * @param {string} externalOrderId
   * @returns {(OrderState & {contact: Contact}) | undefined} the order as eSputnik keeps it, with its contact
   */
  order(externalOrderId) {
    const order = this.#orders.get(externalOrderId);
    if (!order) return undefined;
    const contact = /** @type {Contact} */ (this.#contacts.find((c) => c.id === order.contactId));
    return { ...order, history: order.history.map((step) => ({ ...step })), contact: { ...contact } };
  }

  /**
   * The contact eSputnik would find for these locators, if it has one.
   * @param {{email?: string, phone?: string, externalCustomerId?: string}} by
   * @returns {Contact | undefined}
   */
  findContact({ email, phone, externalCustomerId }) {
    return this.#contacts.find((contact) =>
      (externalCustomerId !== undefined && contact.externalCustomerId === externalCustomerId)
      || (email !== undefined && contact.emails.includes(email.toLowerCase()))
      || (phone !== undefined && contact.phones.includes(phone)));
  }

  /**
   * A contact the store had in eSputnik before (imported by its CRM, say).
   * @param {{email?: string, phone?: string, externalCustomerId?: string}} contact
   * @returns {Contact}
   */
  addKnownContact({ email, phone, externalCustomerId }) {
    const contact = { id: this.#nextId++, emails: email ? [email.toLowerCase()] : [], phones: phone ? [phone] : [], externalCustomerId: externalCustomerId ?? null };
    this.#contacts.push(contact);
    return contact;
  }

  /**
   * Whether a request is a repeat it answers "Duplicated request"; otherwise remembers it.
   * @param {string} path
   * @param {string} raw
   */
  isDuplicate(path, raw) {
    const key = `${path} ${raw}`;
    if (this.#duplicates && this.#taken.has(key)) return true;
    this.#taken.add(key);
    return false;
  }

  /**
   * Add/update a contact (`POST /api/v1/contact`), a body its schema passed: the contact with any of these channels
   * or this externalCustomerId is updated, else one is created.
   * @param {{channels: Array<{type: string, value: string}>, externalCustomerId?: string}} body
   * @returns {Verdict & {id: number}}
   */
  saveContact(body) {
    const email = body.channels.find((channel) => channel.type === 'email')?.value;
    const phone = body.channels.find((channel) => channel.type === 'sms')?.value;
    const known = this.findContact({ email, phone, externalCustomerId: body.externalCustomerId });
    if (!known) {
      const contact = this.addKnownContact({ email, phone, externalCustomerId: body.externalCustomerId });
      return { outcome: 'recorded', note: `contact ${contact.id} created`, id: contact.id };
    }
    if (email && !known.emails.includes(email.toLowerCase())) known.emails.push(email.toLowerCase());
    if (phone && !known.phones.includes(phone)) known.phones.push(phone);
    if (body.externalCustomerId) known.externalCustomerId = body.externalCustomerId;
    return { outcome: 'recorded', note: `contact ${known.id} updated`, id: known.id };
  }

  /**
   * A Generate event its schema passed, filed as eSputnik would.
   * @param {{eventTypeKey: string, keyValue: string}} body
   * @returns {Verdict}
   */
  takeEvent(body) {
    const params = paramsOf(body);
    const { eventTypeKey, keyValue } = body;
    const contact = this.#eventContact(eventTypeKey, keyValue, params);
    const verdict = this.#file(eventTypeKey, params, contact);
    this.#events.push({ eventTypeKey, keyValue, contactId: contact?.id ?? null, outcome: verdict.outcome === 'recorded' ? 'recorded' : 'ignored', note: verdict.note, params });
    return verdict;
  }

  /**
   * An order names its contact by externalCustomerId, email or phone (seed 001); other events by keyValue or, as
   * eSputnik searches them, by their email or phone params.
   * @param {string} eventTypeKey
   * @param {string} keyValue
   * @param {Record<string, string>} params
   */
  #eventContact(eventTypeKey, keyValue, params) {
    for (const name of ORDER_CONTACT_PARAMS) {
      const value = params[name];
      if (value === undefined) continue;
      const found = this.findContact({ [name]: value });
      if (found) return found;
    }
    if (eventTypeKey.startsWith('order')) return undefined;
    return this.findContact({ email: keyValue }) ?? this.findContact({ phone: keyValue }) ?? this.findContact({ externalCustomerId: keyValue });
  }

  /**
   * @param {string} eventTypeKey
   * @param {Record<string, string>} params
   * @param {Contact | undefined} contact
   * @returns {Verdict}
   */
  #file(eventTypeKey, params, contact) {
    const id = params.externalOrderId;
    const existing = id === undefined ? undefined : this.#orders.get(id);
    const items = params.items === undefined ? null : JSON.parse(params.items);
    const lacking = items?.flatMap((/** @type {Record<string, unknown>} */ item, /** @type {number} */ index) =>
      REQUIRED_ITEM_FIELDS.filter((field) => !Object.hasOwn(item, field)).map((field) => `items[${index}].${field}`)) ?? [];
    if (eventTypeKey === 'orderCreated' || (eventTypeKey === 'orderUpdated' && !existing)) {
      // "You can use Generate event only for the existing contact" (seed 001).
      if (!contact) return { outcome: 'ignored', note: 'the order names no contact eSputnik has' };
      // orderUpdated: "if the order is created, the requirements for orderCreated apply" (seed 001).
      const missing = ORDER_CREATED_PARAMS.find((name) => params[name] === undefined);
      if (missing) return { outcome: 'ignored', note: `${eventTypeKey} would create order ${id}, and lacks ${missing}` };
      if (lacking.length > 0) return { outcome: 'ignored', note: `an item lacks a required field: ${lacking[0]}` };
      const status = params.status;
      this.#orders.set(id, {
        externalOrderId: id, contactId: contact.id, status, totalCost: params.totalCost, items,
        recycleStateId: params.recycleStateId ?? null, history: [{ eventTypeKey, status }],
      });
      return { outcome: 'recorded', note: `order ${id} ${status}` };
    }
    if (eventTypeKey === 'orderUpdated' || eventTypeKey === 'orderDelivered' || eventTypeKey === 'orderCancelled') {
      // "If the order does not exist, it is ignored" (seed 001).
      if (!existing) return { outcome: 'ignored', note: `no order ${id}` };
      const status = eventTypeKey === 'orderDelivered' ? 'DELIVERED' : eventTypeKey === 'orderCancelled' ? 'CANCELLED' : params.status ?? existing.status;
      if (eventTypeKey === 'orderUpdated') {
        // "Updates the order" (seed 001): its total and lines become what it is given.
        if (lacking.length > 0) return { outcome: 'ignored', note: `an item lacks a required field: ${lacking[0]}` };
        if (params.totalCost !== undefined) existing.totalCost = params.totalCost;
        if (items) existing.items = items;
      }
      existing.status = status;
      existing.history.push({ eventTypeKey, status });
      return { outcome: 'recorded', note: `order ${id} ${status}` };
    }
    return { outcome: 'recorded', note: contact ? `filed under contact ${contact.id}` : 'filed under no contact eSputnik has' };
  }
}
