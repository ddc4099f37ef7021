// The demo server's parts without a browser: the store pages carry the README's snippet with the current
// settings, the inspector's API refuses what it cannot apply, the outage switches drive the stand-ins, and the
// feed streams each request as it arrives. `node build.mjs` must have run (the pages embed dist/snippet.min.js,
// the relay is dist/relay.mjs).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../demo/server.mjs';
import { sitePurchase } from '../support/calltouch-fixtures.mjs';
import { identity, IDENTITY_SECRET } from '../support/identity.mjs';

let demo: Demo;

beforeAll(async () => {
  demo = await startDemo({ identitySecret: IDENTITY_SECRET });
});
afterAll(async () => {
  await demo?.close();
});
beforeEach(async () => {
  expect(await demo.update({ format: 'tracker', calltouch: { script: true, sessionDelaySeconds: 1 }, outages: { calltouch: 'up', esputnik: 'up' } })).toEqual([]);
  demo.clear();
});

const calltouchUrl = () => `${demo.calltouch.url}/calltouch/ecommerce.php`;
const postJson = (url: string, body: unknown, contentType = 'application/json') =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body: JSON.stringify(body) });
const text = async (path: string) => (await fetch(demo.url + path)).text();

describe('store pages', () => {
  it('install the tag with the README snippet and configure it from the current settings', async () => {
    const stub = readFileSync(new URL('../../dist/snippet.min.js', import.meta.url), 'utf8').trim().replace(/;$/, '');
    const catalog = await text('/');
    expect(catalog).toContain(`<script>(${stub})(window,document,"ct",`);
    expect(catalog).toContain(`"endpoint":"${demo.esputnik.url}/esputnik/tracker"`);
    expect(catalog).toContain('<script async src="/stand-ins/calltouch.js"></script>');

    expect(await demo.update({ format: 'event', calltouch: { script: false } })).toEqual([]);
    const product = await text('/product/1003');
    expect(product).toContain(`"esputnik":{"format":"event","endpoint":"${demo.relay.url}/ecomtag/relay"}`);
    expect(product).not.toContain('/stand-ins/calltouch.js');
    expect(product).toContain('USB-удлинитель');
    expect((await fetch(demo.url + '/product/0')).status).toBe(404);
  });

  it('serve the stand-in Calltouch script with the session delay set, and the product pictures as SVG', async () => {
    expect(await demo.update({ calltouch: { sessionDelaySeconds: 2.5 } })).toEqual([]);
    const script = await fetch(demo.url + '/stand-ins/calltouch.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('})(2500, "abcd1234:12345");');
    const picture = await fetch(demo.url + '/art/2104.svg');
    expect(picture.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await picture.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });
});

describe('the checkout, as a store’s server signs its shopper', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const anna = { name: 'Анна', email: ' Anna@Example.com ', phone: '+7 900 123-45-67', order: 'LV-M3K9F2A7Q' };
  const checkout = (body: string, headers: Record<string, string> = {}) =>
    fetch(demo.url + '/checkout', { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: demo.url, ...headers }, body });
  /** The set_contact the thank-you page renders, parsed; null when it renders none. */
  const renderedContact = async (cookie?: string) => {
    const page = await (await fetch(demo.url + '/thanks?order=LV-M3K9F2A7Q', { headers: cookie ? { Cookie: cookie } : {} })).text();
    const call = /<script>ct\('set_contact', (\{.*?\})\);<\/script>/.exec(page);
    return call ? (JSON.parse(call[1]) as Record<string, string>) : null;
  };

  it('signs the posted e-mail with the relay’s secret and renders it into this browser’s thank-you page only', async () => {
    const before = Math.floor(Date.now() / 1000);
    const answer = await checkout(form(anna));
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/thanks?order=LV-M3K9F2A7Q');
    const cookie = answer.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^lavka_shopper=[\w-]{24}; Path=\/; HttpOnly; SameSite=Lax$/);
    const contact = await renderedContact(cookie.split(';')[0]);
    expect(contact).toMatchObject({ name: 'Анна', email: 'anna@example.com', phone: '79001234567' });
    // The identity the README's format gives, made apart (node:crypto) with the same secret: valid for 7 days.
    const { exp } = JSON.parse(Buffer.from(contact!.identity.split('.')[0], 'base64url').toString()) as { exp: number };
    expect(exp - before - 7 * 24 * 3600).toBeGreaterThanOrEqual(0);
    expect(exp - before - 7 * 24 * 3600).toBeLessThan(5);
    expect(contact!.identity).toBe(identity('email:anna@example.com', { exp }));
    // Another browser, or one that never checked out, gets no one's identity.
    expect(await renderedContact()).toBeNull();
    expect(await renderedContact('lavka_shopper=forged')).toBeNull();
  });

  it.each([
    ['another site’s form', form(anna), { Origin: 'https://evil.example' }, 403],
    ['not a form', JSON.stringify(anna), { 'Content-Type': 'application/json' }, 415],
    ['a form over 4 KB', form({ ...anna, name: 'А'.repeat(3000) }), {}, 413],
    ['no e-mail address', form({ ...anna, email: 'anna' }), {}, 400],
    ['a phone of 3 digits', form({ ...anna, phone: '123' }), {}, 400],
    ['an order id the store never makes', form({ ...anna, order: '../admin' }), {}, 400],
  ])('refuses %s (%#) and signs nothing', async (_, body, headers, status) => {
    const answer = await checkout(body, headers);
    expect(answer.status).toBe(status);
    expect(answer.headers.get('set-cookie')).toBeNull();
  });
});

describe('the inspector API', () => {
  it('answers the settings and the endpoints', async () => {
    const state = await (await fetch(demo.url + '/inspector/state')).json();
    expect(state).toEqual({
      settings: { format: 'tracker', calltouch: { script: true, sessionDelaySeconds: 1 }, outages: { calltouch: 'up', esputnik: 'up' } },
      endpoints: {
        calltouch: calltouchUrl(),
        tracker: `${demo.esputnik.url}/esputnik/tracker`,
        relay: `${demo.relay.url}/ecomtag/relay`,
        upstream: `${demo.esputnik.url}/esputnik/api/v2/event`,
      },
      sessionWaitMs: 5000,
    });
  });

  it.each([
    [{ format: 'xml' }, 'format: expected one of tracker, event'],
    [{ format: 'event', outages: { calltouch: 'down' } }, 'outages.calltouch: expected one of up, 503, timeout, unreachable'],
    [{ format: 'event', outages: { mailchimp: 'up' } }, 'outages: unknown service mailchimp'],
    [{ format: 'event', calltouch: { sessionDelaySeconds: -1 } }, 'calltouch.sessionDelaySeconds: expected a number of seconds from 0 to 600'],
    [{ format: 'event', theme: 'dark' }, 'unknown setting: theme'],
    [[], 'expected a JSON object'],
  ])('refuses %j with 400 and applies none of it', async (patch, error) => {
    const answer = await postJson(demo.url + '/inspector/settings', patch);
    expect(answer.status).toBe(400);
    expect((await answer.json()).errors).toContain(error);
    expect(demo.settings().format).toBe('tracker');
  });

  it('takes only JSON POSTs, which another origin cannot send without a preflight', async () => {
    const plain = await postJson(demo.url + '/inspector/settings', { format: 'event' }, 'text/plain');
    expect(plain.status).toBe(415);
    expect((await fetch(demo.url + '/inspector/clear')).status).toBe(405);
    const preflight = await fetch(demo.url + '/inspector/settings', { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(demo.settings().format).toBe('tracker');
  });
});

describe('the outage switches', () => {
  it('503 answers every request 503 (also after clearing the requests); up recovers', async () => {
    expect(await demo.update({ outages: { calltouch: '503' } })).toEqual([]);
    expect((await postJson(calltouchUrl(), sitePurchase)).status).toBe(503);
    demo.clear();
    expect((await postJson(calltouchUrl(), sitePurchase)).status).toBe(503);
    // The other service is not affected.
    expect((await postJson(`${demo.esputnik.url}/esputnik/tracker`, {})).status).toBe(400);
    expect(await demo.update({ outages: { calltouch: 'up' } })).toEqual([]);
    expect((await postJson(calltouchUrl(), sitePurchase)).status).toBe(200);
  });

  it('unreachable closes the port, and up opens the same one again', async () => {
    expect(await demo.update({ outages: { esputnik: 'unreachable' } })).toEqual([]);
    await expect(postJson(`${demo.esputnik.url}/esputnik/tracker`, {})).rejects.toThrow();
    expect(await demo.update({ outages: { esputnik: 'up' } })).toEqual([]);
    expect((await postJson(`${demo.esputnik.url}/esputnik/tracker`, {})).status).toBe(400);
  });
});

describe('the feed', () => {
  /** The events of /inspector/feed as they come, parsed. */
  async function openFeed() {
    const controller = new AbortController();
    const response = await fetch(demo.url + '/inspector/feed', { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    if (!response.body) throw new Error('the feed has no body');
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const next = async (): Promise<{ event: string; data: unknown }> => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) return { event, data: JSON.parse(data) };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the feed ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    return { next, close: () => controller.abort() };
  }

  it('starts with everything so far, then streams each request with its verdict, and starts over after a clear', async () => {
    await postJson(calltouchUrl(), sitePurchase);
    const feed = await openFeed();
    try {
      const first = await feed.next();
      expect(first.event).toBe('reset');
      expect(first.data).toMatchObject({ entries: [{ service: 'calltouch', status: 200, verdict: 'valid', kind: 'site', body: sitePurchase }] });

      await postJson(calltouchUrl(), { ...sitePurchase, products: [] });
      expect(await feed.next()).toMatchObject({ event: 'entry', data: { service: 'calltouch', status: 400, verdict: 'invalid' } });
      await postJson(calltouchUrl(), sitePurchase, 'application/xml');
      const refused = await feed.next();
      expect(refused).toMatchObject({ event: 'entry', data: { status: 415, verdict: 'refused', body: null } });
      expect((refused.data as { raw: string }).raw).toBe(JSON.stringify(sitePurchase));

      expect(await demo.update({ format: 'event' })).toEqual([]);
      expect(await feed.next()).toMatchObject({ event: 'settings', data: { settings: { format: 'event' } } });
      await postJson(demo.url + '/inspector/clear', {});
      expect(await feed.next()).toMatchObject({ event: 'reset', data: { entries: [] } });
    } finally {
      feed.close();
    }
  });
});
