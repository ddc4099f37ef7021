// The demo's pages, rendered per request from the current settings: the store "Лавка" (catalog, product,
// cart, checkout, thank-you, back office), each with the tag installed by the README's snippet, and the
// inspector. The store's pages render what the server knows; the cart, the order and the back office live in
// the shopper's browser, so demo/public/store.js draws those.
import { page, scriptJson, snippetTag } from '../test/support/snippet.mjs';
import { products } from './catalog.mjs';
import { html, pageHead, raw } from './html.mjs';

/** @typedef {import('./catalog.mjs').Product} Product */
/** @typedef {import('./settings.mjs').Settings} Settings */
/** @typedef {import('./stand-ins.mjs').Endpoints} Endpoints */
/** @typedef {import('./shoppers.mjs').Shopper} Shopper */
/** @typedef {ReturnType<typeof html>} Markup */

/** The demo store's Calltouch account and eSputnik site. */
const MOD_ID = 'abcd1234';
export const CALLTOUCH_SITE_ID = 12345;
const ESPUTNIK_SITE_ID = '8A412DC';

/** @typedef {'catalog' | 'product' | 'cart' | 'checkout' | 'thanks' | 'admin'} StorePage */

/**
 * What a page needs to know of the demo's current state.
 * @typedef {object} Context
 * @property {Settings} settings
 * @property {Endpoints} endpoints
 * @property {number} sessionWaitMs
 */

/**
 * The tag's configuration on every store page: one account with Calltouch and eSputnik, the stand-ins as
 * endpoints, debug on so the console shows every call and delivery.
 * @param {Context} context
 */
function tagConfig({ settings, endpoints, sessionWaitMs }) {
  return {
    accounts: [{ modId: MOD_ID, calltouch: { siteId: CALLTOUCH_SITE_ID }, esputnik: { siteId: ESPUTNIK_SITE_ID } }],
    calltouch: { endpoint: endpoints.calltouch, sessionWaitMs },
    esputnik: settings.format === 'event' ? { format: 'event', endpoint: endpoints.relay } : { endpoint: endpoints.tracker },
    debug: true,
  };
}

const rubles = new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB' });
/** @param {string} price */
const formatPrice = (price) => rubles.format(Number(price));

/** The fields store.js needs to call the tag and draw the cart: everything but the pictures and texts. */
const clientProducts = products.map(({ id, name, nameEn, price, brand, category, variant }) => ({ id, name, nameEn, price, brand, category, variant }));

/**
 * @param {{name: StorePage, title: string, context: Context, content: Markup, note: Markup, product?: string, shopper?: Shopper}} parts
 *   note: what the tag is told on this page, for the visitor; shopper: the contact the server knows this browser's
 *   shopper by, rendered with the identity it signed, as the README's Signed identities section shows
 */
function storePage({ name, title, context, content, note, product, shopper }) {
  const { settings } = context;
  const head = html`${raw(snippetTag({ config: tagConfig(context), bundleUrl: '/dist/ecomtag.js' }))}
    ${shopper ? raw(`<script>ct('set_contact', ${scriptJson(shopper)});</script>`) : ''}
    ${settings.calltouch.script ? html`<script async src="/stand-ins/calltouch.js"></script>` : ''}
    ${pageHead('store')}`;
  const body = html`
    <header class="bar">
      <a class="brand" href="/"><span class="brand-mark">Л</span><span>Лавка <small>demo store</small></span></a>
      <nav class="nav">
        <a href="/">Каталог</a>
        <a href="/cart" class="cart-link">Корзина <span class="badge" data-cart-count>0</span></a>
      </nav>
      <a class="inspector-link" href="/inspector" target="ecomtag-inspector">Inspector ↗</a>
    </header>
    ${demoStrip(context)}
    <main class="page page-${name}">${content}</main>
    <aside class="tag-note"><strong>The tag on this page</strong>${note}</aside>
    <footer class="foot">
      <span>Лавка is a demo of <b>ecomtag</b>: every request it makes goes to local stand-ins for Calltouch and eSputnik.</span>
      <a href="/admin" class="back-office-link">Back office</a>
    </footer>
    <script type="application/json" id="page-data">${raw(scriptJson({ page: name, product, products: clientProducts }))}</script>
    <script type="module" src="/demo/public/store.js"></script>`;
  return page({ title: `${title} — Лавка`, head: head.text, body: body.text });
}

/**
 * What the inspector's switches are set to, so a visitor of the store knows which world it is in.
 * @param {Context} context
 */
function demoStrip({ settings, sessionWaitMs }) {
  const calltouch = settings.calltouch.script
    ? `Calltouch session ${settings.calltouch.sessionDelaySeconds ? `after ${settings.calltouch.sessionDelaySeconds} s` : 'at once'}`
    : `no Calltouch script (purchases go offline after ${sessionWaitMs / 1000} s)`;
  const down = Object.entries(settings.outages).filter(([, outage]) => outage !== 'up').map(([service, outage]) => `${service} ${outage}`);
  return html`<p class="demo-strip" data-demo-strip>
    <span>eSputnik: <b>${settings.format === 'event' ? 'Generate event through the relay' : 'tracker'}</b></span>
    <span>${calltouch}</span>
    <span class="${down.length ? 'warn' : ''}">${down.length ? `down: ${down.join(', ')}` : 'all collectors up'}</span>
  </p>`;
}

/** @param {Product} product */
const art = (product, className = 'art') => html`<img class="${className}" src="/art/${product.id}.svg" alt="" width="240" height="180">`;

/** @param {Context} context */
export function catalogPage(context) {
  const cards = products.map((product) => html`
    <article class="card" data-product="${product.id}">
      <a class="card-link" href="/product/${product.id}">
        ${art(product)}
        <h2>${product.name}</h2>
        <p class="en">${product.nameEn}</p>
      </a>
      <div class="card-foot">
        <span class="price">${formatPrice(product.price)}</span>
        <button class="btn small" type="button" data-add="${product.id}">В корзину</button>
      </div>
    </article>`);
  return storePage({
    name: 'catalog',
    title: 'Каталог',
    context,
    content: html`<section class="hero"><h1>Всё для дома и дороги</h1><p class="en">Things for home and the road. Prices in roubles.</p></section>
      <section class="grid">${cards}</section>`,
    note: html`<p>Nothing is sent for looking at the catalog. <b>В корзину</b> calls
      <code>ct('send_ecommerce', 'addToCart', {products: [{id, name, price: "150.50", quantity: 1, …}]})</code>.</p>`,
  });
}

/**
 * @param {Context} context
 * @param {Product} product
 */
export function productPage(context, product) {
  const facts = [product.brand, product.category, product.variant].filter(Boolean).join(' · ');
  return storePage({
    name: 'product',
    title: product.name,
    context,
    product: product.id,
    content: html`<nav class="crumbs"><a href="/">Каталог</a> / ${product.category}</nav>
      <section class="product">
        ${art(product, 'product-art')}
        <div class="product-info">
          <p class="facts">${facts}</p>
          <h1>${product.name}</h1>
          <p class="en">${product.nameEn}</p>
          <p class="desc">${product.description}</p>
          <p class="desc en">${product.descriptionEn}</p>
          <p class="price big">${formatPrice(product.price)}</p>
          <form class="buy" data-buy>
            <div class="stepper">
              <button type="button" data-step="-1" aria-label="One less">−</button>
              <input name="quantity" type="number" min="1" max="99" value="1" aria-label="Quantity">
              <button type="button" data-step="1" aria-label="One more">+</button>
            </div>
            <button class="btn primary" type="submit">В корзину <small>Add to cart</small></button>
          </form>
          <p class="added" data-added hidden>Добавлено. <a href="/cart">Перейти в корзину →</a></p>
        </div>
      </section>`,
    note: html`<p>On load: <code>ct('send_ecommerce', 'detail', {products: [{id: "${product.id}", name, price: "${product.price}", …}]})</code>.
      The button: <code>addToCart</code> with the quantity chosen.</p>`,
  });
}

/** @param {Context} context */
export function cartPage(context) {
  return storePage({
    name: 'cart',
    title: 'Корзина',
    context,
    content: html`<h1>Корзина <small class="en">Cart</small></h1><section class="cart" data-cart></section>`,
    note: html`<p><b>+</b> calls <code>addToCart</code>, <b>−</b> and <b>×</b> call <code>removeFromCart</code>. This cart is the
      store's (its own localStorage key); the tag keeps its own copy for eSputnik, which hears the whole cart after each change
      (<code>StatusCart</code>, or <code>cartUpdated</code> with its <code>recycleStateId</code>).</p>`,
  });
}

/** @param {Context} context */
export function checkoutPage(context) {
  return storePage({
    name: 'checkout',
    title: 'Оформление заказа',
    context,
    content: html`<h1>Оформление заказа <small class="en">Checkout</small></h1>
      <div class="checkout">
        <section class="summary" data-summary></section>
        <form class="contact" data-contact method="post" action="/checkout">
          <input type="hidden" name="order">
          <h2>Контакты <small class="en">Contact</small></h2>
          <label><span>Имя <small class="en">Name</small></span><input name="name" autocomplete="name" placeholder="Анна" required></label>
          <label><span>Email</span><input name="email" type="email" autocomplete="email" placeholder="anna@example.com" required></label>
          <label><span>Телефон <small class="en">Phone</small></span><input name="phone" type="tel" autocomplete="tel" placeholder="+7 900 123-45-67" required></label>
          <button class="btn primary wide" type="submit" data-place-order>Оформить заказ <small>Place order</small></button>
        </form>
      </div>`,
    note: html`<p>On load: <code>ct('send_ecommerce', 'checkout', {products: […every line…]})</code>. Placing the order gives it
      an id and posts the contact to the store's server, which signs an identity for it and renders both into the thank-you
      page: what the tag has not sent yet leaves by beacon or waits in its outbox for the next page.</p>`,
  });
}

/**
 * @param {Context} context
 * @param {Shopper} [shopper]  the contact this browser checked out with, if the server has it
 */
export function thanksPage(context, shopper) {
  return storePage({
    name: 'thanks',
    title: 'Спасибо за заказ',
    context,
    shopper,
    content: html`<section class="thanks" data-thanks></section>`,
    note: html`<p>Rendered by the server: <code>ct('set_contact', {name, email, phone, identity})</code>, the identity signed for
      the e-mail given at checkout (the Generate event format needs it; the tracker ignores it). On load:
      <code>ct('send_ecommerce', 'purchase', {id, products})</code> with the id given at checkout.
      <b>Reload this page</b>: the store calls it again, and the tag, which has sent this order id before, sends nothing new.</p>`,
  });
}

/** @param {Context} context */
export function adminPage(context) {
  return storePage({
    name: 'admin',
    title: 'Back office',
    context,
    content: html`<h1>Back office <small class="en">orders placed in this browser</small></h1>
      <p><a class="btn" href="/admin/reconcile">Reconcile with Calltouch →</a></p>
      <section class="orders" data-orders></section>
      <details class="config"><summary>The snippet on these pages</summary>
        <pre>${JSON.stringify(tagConfig(context), null, 2)}</pre></details>
      <script type="module" src="/demo/public/backoffice.js"></script>`,
    note: html`<p>Not the tag: the store's server. Each button posts the change to the demo's server, which holds the relay's
      <code>RELAY_BACKOFFICE_TOKEN</code> and sends it on with <code>ecomtag/backoffice</code> to the relay's
      <code>POST /backoffice/orders</code>; what eSputnik and Calltouch made of it shows under the order. <b>Delivered</b> is
      eSputnik's <code>orderDelivered</code> (only delivered orders count in its revenue); <b>Cancel</b> and a full refund are
      <code>orderCancelled</code> and a Calltouch refund with <code>products: []</code>; one unit back updates eSputnik's order to
      the lines kept (<code>orderUpdated</code>) and sends Calltouch a refund of that unit. The same change twice is sent once.</p>`,
  });
}

/**
 * Stands in for Calltouch's script (reference/calltouch.md): a moment after the page loads it creates the
 * visitor's session and leaves it in the cookies the tag reads, `_ct` (the client) and `_ct_ids`
 * (`mod_id:site_id:session_id`). A session, once there, lasts; the inspector ends it when its switch changes.
 * @param {Settings} settings
 */
export function calltouchScript(settings) {
  return `// Stand-in for Calltouch's script: the session appears ${settings.calltouch.sessionDelaySeconds} s after load.
(function (delayMs, ids) {
  var has = function (name) { return new RegExp('(?:^|; )' + name + '=').test(document.cookie); };
  if (has('_ct_ids')) return;
  setTimeout(function () {
    var digits = function (n) { var s = ''; while (s.length < n) s += Math.floor(Math.random() * 10); return s; };
    if (!has('_ct')) document.cookie = '_ct=13' + digits(17) + '; path=/';
    document.cookie = '_ct_ids=' + ids + ':' + (1 + digits(8)) + '; path=/';
  }, delayMs);
})(${settings.calltouch.sessionDelaySeconds * 1000}, ${JSON.stringify(`${MOD_ID}:${CALLTOUCH_SITE_ID}`)});
`;
}

/** The inspector's frame; demo/public/inspector.js fills it and keeps it live. */
export function inspectorPage() {
  const outageButtons = (/** @type {string} */ service) => html`<div class="segmented" role="group" data-outage="${service}">
    <button type="button" data-value="up">Up</button>
    <button type="button" data-value="503">503</button>
    <button type="button" data-value="timeout">Timeout</button>
    <button type="button" data-value="unreachable">Unreachable</button>
  </div>`;
  const body = html`
    <header class="ibar">
      <h1><span class="logo-dot"></span>ecomtag inspector</h1>
      <span class="live" data-live>connecting…</span>
      <a class="btn ghost" href="/" target="lavka-store">Open the store ↗</a>
    </header>
    <section class="controls">
      <div class="control">
        <h2>eSputnik format</h2>
        <div class="segmented" role="group" data-format>
          <button type="button" data-value="tracker">Tracker</button>
          <button type="button" data-value="event">Event, via the relay</button>
        </div>
        <p class="hint">Store pages opened from now on use it.</p>
      </div>
      <div class="control">
        <h2>Calltouch script</h2>
        <form class="row" data-session>
          <label><input type="radio" name="script" value="on"> session after
            <input type="number" name="delay" min="0" max="600" step="1" class="num" aria-label="Session delay in seconds"> s</label>
          <label><input type="radio" name="script" value="off"> no Calltouch script</label>
          <button class="btn small" type="submit">Apply</button>
        </form>
        <p class="hint" data-session-hint></p>
      </div>
      <div class="control wide">
        <h2>Collectors</h2>
        <div class="outage"><span>Calltouch</span>${outageButtons('calltouch')}</div>
        <div class="outage"><span>eSputnik</span>${outageButtons('esputnik')}</div>
        <div class="row">
          <button class="btn small danger" type="button" data-all-down>Everything down (503)</button>
          <button class="btn small" type="button" data-recover>Recover</button>
        </div>
      </div>
      <div class="control">
        <h2>Reset</h2>
        <div class="row">
          <button class="btn small" type="button" data-clear>Clear requests</button>
          <button class="btn small danger" type="button" data-start-over>Start over</button>
        </div>
        <p class="hint">“Start over” also clears this browser: the tag's storage, the store's cart and orders, and the Calltouch
          and eSputnik cookies of this origin. Reload open store tabs afterwards.</p>
      </div>
    </section>
    <p class="message" data-message role="status"></p>
    <main class="panes">
      <section class="pane">
        <div class="pane-head"><h2>Requests at the stand-ins</h2><span class="summary" data-feed-summary></span></div>
        <p class="empty" data-feed-empty>Nothing yet. Open the store and click around: every request the tag makes shows up here.</p>
        <ol class="feed" data-feed></ol>
      </section>
      <section class="pane">
        <div class="pane-head"><h2>The tag in this browser</h2><span class="summary">localStorage <code>ecomtag:ct:</code>, live</span></div>
        <div class="state" data-state></div>
      </section>
    </main>
    <script type="module" src="/demo/public/inspector.js"></script>`;
  return page({
    title: 'ecomtag inspector',
    head: pageHead('inspector').text,
    body: body.text,
  });
}
