// `npm run demo`: a store page on 127.0.0.1 with the tag installed by the README's snippet, and the
// stand-in Calltouch endpoint (the one the tests use) on another port, printing every body that arrives.
import { fileURLToPath } from 'node:url';
import { startCollector } from '../test/support/collector.mjs';
import { startSite } from '../test/support/site.mjs';
import { page, scriptJson, snippetTag } from '../test/support/snippet.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const collector = await startCollector({ port: Number(process.env.COLLECTOR_PORT || 8788), log: true });
const site = await startSite({ root, port: Number(process.env.DEMO_PORT || 8080) });

const config = {
  accounts: [{ modId: 'abcd1234', calltouch: { siteId: 12345 } }],
  calltouch: { endpoint: `${collector.url}/calltouch/ecommerce.php`, sessionWaitMs: 5000 },
  debug: true,
};

// Stands in for Calltouch's script: its session cookies appear a second after load, as create_session's do.
const fakeCalltouch = `setTimeout(function () {
  document.cookie = '_ct=1300000000412345678; path=/';
  document.cookie = '_ct_ids=abcd1234:12345:987654321; path=/';
}, 1000);`;

const demo = `
const product = { id: 1003, name: 'USB-удлинитель', price: '150.50', brand: 'xiaomi', category: 'кабели', quantity: 1 };
const calls = {
  detail: () => ct('send_ecommerce', 'detail', { products: [product] }),
  addToCart: () => ct('send_ecommerce', 'addToCart', { products: [product] }),
  checkout: () => ct('send_ecommerce', 'checkout', { products: [product] }),
  purchase: () => ct('send_ecommerce', 'purchase', { id: 'order-' + Date.now(), products: [product] }),
  'bad call': () => ct('send_ecommerce', 'purchase', { products: [product] }),
};
const log = document.getElementById('log');
for (const [label, call] of Object.entries(calls)) {
  const button = document.createElement('button');
  button.textContent = label;
  button.onclick = call;
  document.getElementById('buttons').append(button);
}
// What the stand-in collector received, newest first.
setInterval(async () => {
  const records = await (await fetch(${scriptJson(collector.url)} + '/_records')).json();
  log.textContent = records.slice().reverse().map((r) => r.status + ' ' + (r.valid ? 'valid  ' : 'INVALID') + ' ' + r.raw).join('\\n');
}, 500);`;

site.page(
  '/',
  page({
    title: 'ecomtag demo',
    head: `<script>${fakeCalltouch}</script>${snippetTag({ config, bundleUrl: '/dist/ecomtag.js' })}`,
    body: `<h1>ecomtag demo</h1><p>Each button calls <code>ct('send_ecommerce', …)</code>. The first events wait for the
      Calltouch session, which appears after a second. Open the console: debug mode is on.</p>
      <div id="buttons"></div><h2>Arrived at the stand-in Calltouch endpoint</h2><pre id="log" style="white-space: pre-wrap"></pre>
      <script type="module">${demo}</script>`,
  }),
);

console.log(`ecomtag demo: open ${site.url}/ (stand-in Calltouch at ${collector.url}); Ctrl+C stops it.`);
process.on('SIGINT', () => Promise.all([site.close(), collector.close()]).then(() => process.exit(0)));
