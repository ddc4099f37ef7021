// The demo's Back office page (/admin): this browser's orders (the store's `lavka:orders`) and what a store's staff
// does with them days after the thank-you page — marks them in progress or delivered, cancels them, takes back a unit
// or the whole order. Each change goes to the demo's server (POST /admin/orders), which posts it to the relay's back
// office with its token, as a store's server would; the page shows what eSputnik and Calltouch made of it. The page
// never holds the token.
import { fill, formatPrice, h, readJson, writeJson } from './dom.js';

/** @typedef {{id: string, quantity: number}} Line */
/** @typedef {{name: string, email: string, phone: string}} Contact */
/** @typedef {{id: string, status: string, esputnik: string, calltouch: string, notes?: string[]}} Answer */
/** @typedef {{at: number, status: string, lines: Line[], returned?: Line[], answer?: Answer, errors?: string[]}} Step */
/** @typedef {{status: string, lines: Line[], steps: Step[]}} BackOffice  the order as the store's staff left it */
/** @typedef {{id: string, at: number, lines: Line[], contact: Contact, backOffice?: BackOffice}} Order */
/** @typedef {{id: string, name: string, nameEn: string, price: string}} Product */

const ORDERS = 'lavka:orders';
const pageData = /** @type {{products: Product[]}} */ (JSON.parse(/** @type {HTMLElement} */ (document.getElementById('page-data')).textContent ?? '{}'));
const catalog = new Map(pageData.products.map((product) => [product.id, product]));
const root = /** @type {HTMLElement} */ (document.querySelector('[data-orders]'));

const LABELS = /** @type {Record<string, string>} */ ({
  placed: 'placed',
  in_progress: 'in progress',
  delivered: 'delivered',
  cancelled: 'cancelled',
  refunded: 'refunded',
  partly: 'partly refunded',
});
/** After these nothing more happens to an order. */
const FINAL = ['cancelled', 'refunded'];

/** @param {Line[]} lines */
const totalOf = (lines) => lines.reduce((sum, line) => sum + Math.round(Number(catalog.get(line.id)?.price ?? 0) * 100) * line.quantity, 0) / 100;

/**
 * The lines left once `returned` is taken back.
 * @param {Line[]} lines
 * @param {Line[]} returned
 */
const without = (lines, returned) =>
  lines.map((line) => ({ id: line.id, quantity: line.quantity - (returned.find((back) => back.id === line.id)?.quantity ?? 0) })).filter((line) => line.quantity > 0);

/** @param {Order} order @returns {BackOffice} */
const stateOf = (order) => order.backOffice ?? { status: 'placed', lines: order.lines, steps: [] };

/**
 * Posts one change of `order` to the demo's server, then keeps it with the answer.
 * @param {Order} order
 * @param {string} status
 * @param {Line[]} [returned]  a partial refund's lines
 */
async function change(order, status, returned) {
  const state = stateOf(order);
  const kept = returned ? without(state.lines, returned) : state.lines;
  // The last unit back is the rest of the order back: a full refund.
  const partial = returned && kept.length > 0;
  /** @type {Step} */
  const step = { at: Date.now(), status, lines: partial ? kept : state.lines, ...(partial ? { returned } : {}) };
  await post(order, step);
  save(order.id, { status: partial ? 'partly' : status, lines: partial ? kept : state.lines, steps: [...state.steps, step] });
}

/**
 * Sends `step` (again, after a retry) and writes the answer into it.
 * @param {Order} order
 * @param {Step} step
 */
async function post(order, step) {
  try {
    const response = await fetch('/admin/orders', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: order.id, at: order.at, status: step.status, lines: step.lines, returned: step.returned, contact: order.contact }),
    });
    const answer = await response.json();
    delete step.errors;
    if (answer.result) step.answer = answer.result.orders[0];
    else step.errors = answer.errors ?? [response.statusText];
  } catch (error) {
    step.errors = [`the demo's server did not answer: ${error instanceof Error ? error.message : error}`];
  }
}

/**
 * @param {string} id
 * @param {BackOffice} backOffice
 */
function save(id, backOffice) {
  writeJson(ORDERS, readJson(ORDERS, /** @type {Order[]} */ ([])).map((order) => (order.id === id ? { ...order, backOffice } : order)));
  render();
}

/** @param {string} answer e.g. `skipped: …` */
const verdict = (answer) => h('span', { class: answer.startsWith('retry') || answer.startsWith('refused') ? 'warn' : 'muted' }, answer);

/**
 * @param {Order} order
 * @param {Step} step
 * @param {number} index
 */
function stepView(order, step, index) {
  const retry = step.errors || (step.answer && [step.answer.esputnik, step.answer.calltouch].some((answer) => answer.startsWith('retry')));
  const again = async () => {
    await post(order, step);
    const state = stateOf(order);
    save(order.id, { ...state, steps: state.steps.map((s, i) => (i === index ? step : s)) });
  };
  return h('li', { class: 'step', dataset: { step: step.status } },
    h('p', {}, h('b', {}, new Date(step.at).toLocaleTimeString('ru-RU')), ' ', step.status,
      step.returned ? ` (${step.returned.map((line) => `${line.quantity} × ${catalog.get(line.id)?.name}`).join(', ')})` : ''),
    step.answer
      ? h('p', { 'data-answer': '' }, 'eSputnik: ', verdict(step.answer.esputnik), ' · Calltouch: ', verdict(step.answer.calltouch))
      : h('p', { class: 'warn' }, (step.errors ?? []).join('; ')),
    (step.answer?.notes ?? []).map((note) => h('p', { class: 'muted' }, note)),
    retry ? h('button', { type: 'button', class: 'btn small', onclick: again }, 'Send again') : null);
}

/** @param {Order} order */
function orderView(order) {
  const state = stateOf(order);
  const done = FINAL.includes(state.status);
  const button = (/** @type {string} */ label, /** @type {string} */ status, className = 'btn small') =>
    h('button', { type: 'button', class: className, disabled: done, dataset: { action: status }, onclick: () => change(order, status) }, label);
  return h('article', { class: 'order', dataset: { order: order.id } },
    h('header', {},
      h('div', {}, h('h2', {}, order.id), h('p', { class: 'muted' }, new Date(order.at).toLocaleString('ru-RU'), ' · ',
        [order.contact.name, order.contact.email, order.contact.phone].filter(Boolean).join(', '))),
      h('span', { class: `status ${done ? 'refunded' : 'placed'}`, 'data-status': state.status }, LABELS[state.status] ?? state.status),
      h('strong', {}, formatPrice(totalOf(state.lines)))),
    h('ul', { class: 'lines compact' }, state.lines.map((line) => h('li', { class: 'line' },
      h('img', { class: 'thumb', src: `/art/${line.id}.svg`, alt: '', width: 56, height: 42 }),
      h('div', { class: 'line-name' }, h('a', { href: `/product/${line.id}` }, catalog.get(line.id)?.name ?? line.id), h('small', { class: 'en' }, catalog.get(line.id)?.nameEn ?? '')),
      h('span', { class: 'muted' }, `× ${line.quantity}`),
      h('button', { type: 'button', class: 'btn small', disabled: done, dataset: { returnLine: line.id }, onclick: () => change(order, 'refunded', [{ id: line.id, quantity: 1 }]) },
        'Вернуть 1 шт.')))),
    h('footer', {},
      h('div', { class: 'actions' },
        button('В работе · In progress', 'in_progress'),
        button('Доставлен · Delivered', 'delivered'),
        button('Отменить · Cancel', 'cancelled'),
        button('Вернуть весь заказ · Full refund', 'refunded', 'btn small danger'))),
    state.steps.length ? h('ol', { class: 'steps' }, state.steps.map((step, index) => stepView(order, step, index))) : null);
}

function render() {
  const orders = readJson(ORDERS, /** @type {Order[]} */ ([]));
  if (!orders.length) return fill(root, h('p', { class: 'empty' }, 'No orders in this browser yet: ', h('a', { href: '/' }, 'place one in the store'), ' first.'));
  fill(root, orders.map(orderView));
}

render();
addEventListener('storage', (event) => event.key === ORDERS && render());
