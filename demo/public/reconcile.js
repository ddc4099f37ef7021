// The "Reconcile with Calltouch" page: this browser's orders (the store's `lavka:orders`) as the JSON orders file
// `ecomtag-reconcile` reads — [{id, date, products: [{id, name, price, quantity}]}], prices from the catalog — sent
// to the demo's server, which runs the CLI and answers what it printed.
import { fill, h, readJson } from './dom.js';

/** @typedef {{id: string, quantity: number}} Line */
/** @typedef {{id: string, at: number, lines: Line[]}} Order */
/** @typedef {{id: string, name: string, price: string}} Product */
/** @typedef {{command: string, code: number | null, stdout: string, stderr: string}} Run */

const catalog = new Map(
  /** @type {{products: Product[]}} */ (JSON.parse(/** @type {HTMLElement} */ (document.getElementById('page-data')).textContent ?? '{}')).products.map(
    (product) => [product.id, product],
  ),
);
const result = /** @type {HTMLElement} */ (document.querySelector('[data-result]'));
const buttons = /** @type {HTMLButtonElement[]} */ ([...document.querySelectorAll('[data-mode]')]);

const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
/** The shopper's local date, as a store's database writes it. */
const day = (/** @type {Date} */ date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
const stamp = (/** @type {Date} */ date) => `${day(date)} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;

/** @param {Order} order */
const asFileOrder = (order) => ({
  id: order.id,
  date: stamp(new Date(order.at)),
  products: order.lines.map((line) => {
    const product = catalog.get(line.id);
    return { id: line.id, name: product?.name ?? '', price: product?.price ?? '0', quantity: line.quantity };
  }),
});

const EXIT = /** @type {Record<string, string>} */ ({ 0: 'every order matched', 1: 'orders missing or mismatched', 2: 'bad input, or Calltouch failed' });

/** @param {string} mode */
async function run(mode) {
  const orders = readJson('lavka:orders', /** @type {Order[]} */ ([]));
  if (!orders.length) return fill(result, h('p', { class: 'empty' }, 'No orders in this browser yet: ', h('a', { href: '/' }, 'place one in the store'), ' first.'));
  const from = day(new Date(Math.min(...orders.map((order) => order.at))));
  buttons.forEach((button) => (button.disabled = true));
  fill(result, h('p', { class: 'muted' }, 'Running…'));
  try {
    const response = await fetch('/admin/reconcile/run', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ orders: orders.map(asFileOrder), from, to: day(new Date()), mode }),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error((answer.errors ?? [response.statusText]).join('; '));
    show(/** @type {Run} */ (answer));
  } catch (error) {
    fill(result, h('p', { class: 'warn' }, `The run did not happen: ${error instanceof Error ? error.message : error}`));
  } finally {
    buttons.forEach((button) => (button.disabled = false));
  }
}

/** @param {Run} answer */
function show({ command, code, stdout, stderr }) {
  fill(result,
    h('div', { class: 'config' },
      h('pre', { 'data-command': '' }, `$ ${command}`),
      stdout ? h('pre', { 'data-stdout': '' }, stdout) : null,
      stderr ? h('pre', { 'data-stderr': '', class: 'muted' }, stderr) : null),
    h('p', { 'data-exit': String(code) }, `Exit ${code}: ${EXIT[String(code)] ?? 'stopped'}.`));
}

buttons.forEach((button) => button.addEventListener('click', () => run(/** @type {string} */ (button.dataset.mode))));
