// The demo store's own script: its cart and orders (in localStorage under `lavka:`, apart from the tag's
// `ecomtag:` keys) and its calls to the tag, made where a real store makes them — detail on a product page,
// addToCart/removeFromCart from cart buttons, checkout on the checkout page, purchase on the thank-you page. The
// back office's page has its own script (backoffice.js): refunds and status changes go from the store's server.
import { fill, formatPrice, h, readJson, writeJson } from './dom.js';

/**
 * @typedef {object} Product  as the server lists it in #page-data
 * @property {string} id
 * @property {string} name
 * @property {string} nameEn
 * @property {string} price  e.g. "150.50", passed to the tag as the store's templates print it
 * @property {string} brand
 * @property {string} category
 * @property {string} [variant]
 */
/** @typedef {{id: string, quantity: number}} Line */
/** @typedef {{name: string, email: string, phone: string}} Contact */
/** @typedef {{id: string, at: number, lines: Line[], contact: Contact}} Order */

const CART = 'lavka:cart';
const ORDERS = 'lavka:orders';

const pageData = /** @type {{page: string, product?: string, products: Product[]}} */ (
  JSON.parse(/** @type {HTMLElement} */ (document.getElementById('page-data')).textContent ?? '{}')
);
const catalog = new Map(pageData.products.map((product) => [product.id, product]));

/**
 * The tag's global, installed by the snippet in <head>.
 * @param {...unknown} args
 */
const ct = (...args) => /** @type {{ct: (...args: unknown[]) => unknown}} */ (/** @type {unknown} */ (window)).ct(...args);

/**
 * @param {string} method
 * @param {object} params
 */
const send = (method, params) => ct('send_ecommerce', method, params);

/**
 * A product as the tag is told it: Calltouch's fields, and for eSputnik the product's page and picture.
 * @param {Product} product
 * @param {number} [quantity]
 */
function item(product, quantity) {
  /** @type {Record<string, unknown>} */
  const fields = {
    id: product.id,
    name: product.name,
    price: product.price,
    brand: product.brand,
    category: product.category,
    variant: product.variant,
    quantity,
    url: `${location.origin}/product/${product.id}`,
    imageUrl: `${location.origin}/art/${product.id}.svg`,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** @param {string} id @returns {Product} */
const productOf = (id) => /** @type {Product} */ (catalog.get(id));

/** Sums in kopecks, so that 0.1 + 0.2 reads 0.30. */
const totalOf = (/** @type {Line[]} */ lines) =>
  lines.reduce((sum, line) => sum + Math.round(Number(productOf(line.id).price) * 100) * line.quantity, 0) / 100;

/** @returns {Line[]} the store's cart, without lines for products it no longer sells */
const cartLines = () => readJson(CART, /** @type {Line[]} */ ([])).filter((line) => catalog.has(line.id) && line.quantity > 0);

/** @param {Line[]} lines */
function saveCart(lines) {
  writeJson(CART, lines);
  showCartCount();
}

function showCartCount() {
  const count = cartLines().reduce((sum, line) => sum + line.quantity, 0);
  for (const badge of document.querySelectorAll('[data-cart-count]')) badge.textContent = String(count);
}

/**
 * @param {string} id
 * @param {number} quantity
 */
function addToCart(id, quantity) {
  const lines = cartLines();
  const line = lines.find((l) => l.id === id);
  if (line) line.quantity += quantity;
  else lines.push({ id, quantity });
  saveCart(lines);
  send('addToCart', { products: [item(productOf(id), quantity)] });
}

/**
 * @param {string} id
 * @param {number} quantity
 */
function removeFromCart(id, quantity) {
  const lines = cartLines().map((line) => (line.id === id ? { id, quantity: line.quantity - quantity } : line));
  saveCart(lines.filter((line) => line.quantity > 0));
  send('removeFromCart', { products: [item(productOf(id), quantity)] });
}

/** @param {Line} line */
const lineName = (line) => {
  const product = productOf(line.id);
  return h('div', { class: 'line-name' }, h('a', { href: `/product/${line.id}` }, product.name), h('small', { class: 'en' }, product.nameEn));
};

/** @param {Line} line */
const thumb = (line) => h('img', { class: 'thumb', src: `/art/${line.id}.svg`, alt: '', width: 72, height: 54 });

// ---- pages ----

function catalogPage() {
  for (const button of document.querySelectorAll('[data-add]')) {
    button.addEventListener('click', () => {
      addToCart(/** @type {HTMLElement} */ (button).dataset.add ?? '', 1);
      button.textContent = 'Добавлено ✓';
      button.classList.add('done');
      setTimeout(() => {
        button.textContent = 'В корзину';
        button.classList.remove('done');
      }, 1200);
    });
  }
}

function productPage() {
  const product = productOf(pageData.product ?? '');
  send('detail', { products: [{ ...item(product), isInStock: true }] });
  const form = /** @type {HTMLFormElement} */ (document.querySelector('[data-buy]'));
  const input = /** @type {HTMLInputElement} */ (form.elements.namedItem('quantity'));
  const quantity = () => Math.min(99, Math.max(1, Math.floor(Number(input.value)) || 1));
  for (const button of form.querySelectorAll('[data-step]')) {
    button.addEventListener('click', () => {
      input.value = String(Math.min(99, Math.max(1, quantity() + Number(/** @type {HTMLElement} */ (button).dataset.step))));
    });
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    addToCart(product.id, quantity());
    /** @type {HTMLElement} */ (document.querySelector('[data-added]')).hidden = false;
  });
}

function cartPage() {
  const root = /** @type {HTMLElement} */ (document.querySelector('[data-cart]'));
  const render = () => {
    const lines = cartLines();
    if (!lines.length) {
      return fill(root, h('div', { class: 'empty' }, h('p', {}, 'Корзина пуста.', h('small', { class: 'en' }, 'Your cart is empty.')),
        h('a', { class: 'btn', href: '/' }, 'В каталог')));
    }
    const step = (/** @type {string} */ symbol, /** @type {string} */ label, /** @type {() => void} */ action) =>
      h('button', { type: 'button', 'aria-label': label, onclick: () => { action(); render(); } }, symbol);
    fill(root,
      h('ul', { class: 'lines' }, lines.map((line) => {
        const product = productOf(line.id);
        return h('li', { class: 'line', dataset: { line: line.id } },
          thumb(line),
          lineName(line),
          h('span', { class: 'muted' }, formatPrice(product.price)),
          h('div', { class: 'stepper small' },
            step('−', 'One less', () => removeFromCart(line.id, 1)),
            h('output', { 'data-quantity': '' }, line.quantity),
            step('+', 'One more', () => addToCart(line.id, 1))),
          h('strong', { class: 'line-total' }, formatPrice(totalOf([line]))),
          h('button', { type: 'button', class: 'remove', title: 'Удалить · Remove', 'aria-label': `Remove ${product.name}`,
            onclick: () => { removeFromCart(line.id, line.quantity); render(); } }, '×'));
      })),
      h('div', { class: 'total' }, h('span', {}, 'Итого ', h('small', { class: 'en' }, 'Total')), h('strong', { 'data-total': '' }, formatPrice(totalOf(lines)))),
      h('div', { class: 'actions' }, h('a', { class: 'btn', href: '/' }, '← В каталог'),
        h('a', { class: 'btn primary', href: '/checkout', 'data-checkout': '' }, 'Оформить заказ')));
  };
  render();
  // Another tab changed the cart.
  addEventListener('storage', (event) => event.key === CART && render());
}

/** @returns {string} e.g. `LV-M3K9F2A7Q`: unique enough for one browser's orders */
const newOrderId = () => `LV-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`.toUpperCase();

function checkoutPage() {
  const summary = /** @type {HTMLElement} */ (document.querySelector('[data-summary]'));
  const form = /** @type {HTMLFormElement} */ (document.querySelector('[data-contact]'));
  const lines = cartLines();
  if (!lines.length) {
    form.hidden = true;
    return fill(summary, h('div', { class: 'empty' }, h('p', {}, 'Корзина пуста: оформлять нечего.'), h('a', { class: 'btn', href: '/' }, 'В каталог')));
  }
  send('checkout', { products: lines.map((line) => item(productOf(line.id), line.quantity)) });
  fill(summary,
    h('h2', {}, 'Ваш заказ ', h('small', { class: 'en' }, 'Your order')),
    h('ul', { class: 'lines compact' }, lines.map((line) => h('li', { class: 'line' },
      thumb(line), lineName(line), h('span', { class: 'muted' }, `× ${line.quantity}`), h('strong', {}, formatPrice(totalOf([line])))))),
    h('div', { class: 'total' }, h('span', {}, 'Итого'), h('strong', {}, formatPrice(totalOf(lines)))));
  form.addEventListener('submit', () => {
    const field = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name)).value.trim();
    /** @type {Contact} */
    const contact = { name: field('name'), email: field('email'), phone: field('phone').replace(/\D/g, '') };
    /** @type {Order} */
    const order = { id: newOrderId(), at: Date.now(), lines: cartLines(), contact };
    writeJson(ORDERS, [order, ...readJson(ORDERS, /** @type {Order[]} */ ([]))]);
    saveCart([]);
    // The form goes on to the store's server with the order's id; the thank-you page it answers with tells the tag
    // who the shopper is (set_contact with the identity the server signed).
    /** @type {HTMLInputElement} */ (form.elements.namedItem('order')).value = order.id;
  });
}

function thanksPage() {
  const root = /** @type {HTMLElement} */ (document.querySelector('[data-thanks]'));
  const id = new URLSearchParams(location.search).get('order');
  const order = readJson(ORDERS, /** @type {Order[]} */ ([])).find((o) => o.id === id);
  if (!order) {
    return fill(root, h('h1', {}, 'Заказ не найден'), h('p', {}, 'Order not found in this browser. ', h('a', { href: '/' }, 'Back to the catalog')));
  }
  // Every load calls purchase, as a thank-you page rendered from the order does; the tag sends it once.
  send('purchase', { id: order.id, products: order.lines.map((line) => item(productOf(line.id), line.quantity)) });
  const loadsKey = `lavka:thanks-loads:${order.id}`;
  let loads = 1;
  try {
    loads = Number(sessionStorage.getItem(loadsKey) ?? 0) + 1;
    sessionStorage.setItem(loadsKey, String(loads));
  } catch {
    // Without sessionStorage the count just reads 1.
  }
  fill(root,
    h('div', { class: 'thanks-head' }, h('span', { class: 'tick' }, '✓'),
      h('div', {}, h('h1', {}, `Спасибо, ${order.contact.name || 'покупатель'}!`),
        h('p', {}, 'Заказ ', h('b', { 'data-order-id': '' }, order.id), ' оформлен. ', h('small', { class: 'en' }, 'Your order is placed.')))),
    h('ul', { class: 'lines compact' }, order.lines.map((line) => h('li', { class: 'line' },
      thumb(line), lineName(line), h('span', { class: 'muted' }, `× ${line.quantity}`), h('strong', {}, formatPrice(totalOf([line])))))),
    h('div', { class: 'total' }, h('span', {}, 'Итого'), h('strong', {}, formatPrice(totalOf(order.lines)))),
    h('div', { class: 'callout' },
      h('p', {}, 'This page has called ', h('code', {}, 'purchase'), ' for this order ', h('b', { 'data-loads': '' }, loads),
        loads === 1 ? ' time.' : ' times.', ' Reload it: the tag has sent this order id before and sends nothing new.'),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => location.reload() }, '↻ Reload this page'),
        h('a', { class: 'btn', href: '/admin' }, 'Back office: deliver or refund it'),
        h('a', { class: 'btn primary', href: '/' }, 'Продолжить покупки'))));
}

/** @type {Record<string, () => void>} */
const pages = { catalog: catalogPage, product: productPage, cart: cartPage, checkout: checkoutPage, thanks: thanksPage };
showCartCount();
addEventListener('storage', (event) => event.key === CART && showCartCount());
pages[pageData.page]?.();
