// The demo server's parts without a browser: the store pages carry the README's snippet with the current
// settings, the inspector's API refuses what it cannot apply, the outage switches drive the stand-ins, and the
// feed streams each request as it arrives. `node build.mjs` must have run (the pages embed dist/snippet.min.js,
// the relay is dist/relay.mjs).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../demo/server.mjs';
import { sitePurchase } from '../support/calltouch-fixtures.mjs';

let demo: Demo;

beforeAll(async () => {
  demo = await startDemo();
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
