// `npm run demo`: a store page on 127.0.0.1 with the tag installed by the README's snippet; the stand-in
// Calltouch and eSputnik endpoints (the ones the tests use) on another port, printing every body that arrives;
// and the real eSputnik relay between the page and the stand-in Generate event API. `/` sends eSputnik's
// tracker format, `/event` the Generate event format through the relay.
import { fileURLToPath } from 'node:url';
import { DEFAULT_ESPUTNIK_API_KEY, startCollector } from '../test/support/collector.mjs';
import { startRelay } from '../test/support/relay-process.mjs';
import { startSite } from '../test/support/site.mjs';
import { page, scriptJson, snippetTag } from '../test/support/snippet.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const collector = await startCollector({ port: Number(process.env.COLLECTOR_PORT || 8788), log: true });
const site = await startSite({ root, port: Number(process.env.DEMO_PORT || 8080) });
const relay = await startRelay({
  apiKey: DEFAULT_ESPUTNIK_API_KEY,
  allowedOrigins: site.url,
  upstreamUrl: `${collector.url}/esputnik/api/v2/event`,
  port: Number(process.env.RELAY_PORT || 8787),
});

/** @param {'tracker' | 'event'} format */
const config = (format) => ({
  accounts: [{ modId: 'abcd1234', calltouch: { siteId: 12345 }, esputnik: { siteId: '8A412DC' } }],
  calltouch: { endpoint: `${collector.url}/calltouch/ecommerce.php`, sessionWaitMs: 5000 },
  esputnik: format === 'tracker' ? { endpoint: `${collector.url}/esputnik/tracker` } : { format, endpoint: `${relay.url}/ecomtag/relay` },
  debug: true,
});

// Stands in for Calltouch's script: its session cookies appear a second after load, as create_session's do.
const fakeCalltouch = `setTimeout(function () {
  document.cookie = '_ct=1300000000412345678; path=/';
  document.cookie = '_ct_ids=abcd1234:12345:987654321; path=/';
}, 1000);`;

const demo = `
const product = { id: 1003, name: 'USB-удлинитель', price: '150.50', brand: 'xiaomi', category: 'кабели', quantity: 1, url: location.origin + '/p/1003' };
const calls = {
  detail: () => ct('send_ecommerce', 'detail', { products: [product] }),
  addToCart: () => ct('send_ecommerce', 'addToCart', { products: [product] }),
  removeFromCart: () => ct('send_ecommerce', 'removeFromCart', { products: [{ id: 1003 }] }),
  checkout: () => ct('send_ecommerce', 'checkout', { products: [product] }),
  purchase: () => ct('send_ecommerce', 'purchase', { id: 'order-' + Date.now(), products: [product] }),
  set_contact: () => ct('set_contact', { email: 'anna@example.com', phone: '79001234567', name: 'Анна' }),
  'bad call': () => ct('send_ecommerce', 'purchase', { products: [product] }),
};
const log = document.getElementById('log');
for (const [label, call] of Object.entries(calls)) {
  const button = document.createElement('button');
  button.textContent = label;
  button.onclick = call;
  document.getElementById('buttons').append(button);
}
// What the stand-ins received, newest first.
setInterval(async () => {
  const records = await (await fetch(${scriptJson(collector.url)} + '/_records')).json();
  log.textContent = records.slice().reverse().map((r) => [r.status, r.valid ? 'valid  ' : 'INVALID', r.service, r.kind, r.raw].join(' ')).join('\\n');
}, 500);`;

/** @param {'tracker' | 'event'} format */
const storePage = (format) =>
  page({
    title: `ecomtag demo (${format})`,
    head: `<script>${fakeCalltouch}</script>${snippetTag({ config: config(format), bundleUrl: '/dist/ecomtag.js' })}`,
    body: `<h1>ecomtag demo — eSputnik ${format} format</h1>
      <p>Each button calls <code>ct(…)</code>. Calltouch events wait for its session, which appears after a second.
      ${format === 'event' ? 'Generate event bodies go through the relay and wait for a contact: press <b>set_contact</b>.' : 'The cart lives in this browser: reload and add again.'}
      <a href="${format === 'event' ? '/' : '/event'}">Switch to the ${format === 'event' ? 'tracker' : 'event'} format</a>. Open the console: debug mode is on.</p>
      <div id="buttons"></div><h2>Arrived at the stand-in endpoints</h2><pre id="log" style="white-space: pre-wrap"></pre>
      <script type="module">${demo}</script>`,
  });

site.page('/', storePage('tracker'));
site.page('/event', storePage('event'));

console.log(`ecomtag demo: open ${site.url}/ (stand-ins at ${collector.url}, relay at ${relay.url}); Ctrl+C stops it.`);
process.on('SIGINT', () => Promise.all([site.close(), collector.close(), relay.close()]).then(() => process.exit(0)));
