// The call forms (SPEC §3) in a real page: routing by leading mod_id, calls
// the tag must refuse (one console.error each, nothing sent, nothing thrown),
// odd but valid input, and commands handed through to Calltouch's script.
import { describe, expect, it } from 'vitest';
import {
  BAD_PURCHASE, MOD_A, MOD_B, SESSIONS, calltouchCookies, fakeCalltouch, flush, inline, jsons, raws, settleConsole,
  siteBody, snippet, tagReady, useScenario,
} from '../support/scenario.mjs';
import { page as html } from '../support/snippet.mjs';

const s = useScenario();

/** A page with the tag and a Calltouch session for both accounts. */
async function shop(path: string, head = fakeCalltouch(), after = '') {
  const tab = await s.context.newPage();
  await tab.goto(s.h.site.page(path, html({ head: head + snippet(s.h) + after })));
  await tagReady(tab);
  return tab;
}

describe('two mod_ids', () => {
  const cookieSession = (modId: string) => ({ ...SESSIONS[modId], ctClientId: 'ct-cookie-client' });
  it.each([
    { source: 'Calltouch’s global', head: () => fakeCalltouch(), session: (modId: string) => SESSIONS[modId] },
    { source: 'Calltouch’s cookies', head: () => calltouchCookies([SESSIONS[MOD_A], SESSIONS[MOD_B]]), session: cookieSession },
  ])('route by leading mod_id, each body with its account’s session ($source)', async ({ head, session }) => {
    const tab = await shop('/two-accounts', head());
    await tab.evaluate(() => {
      ct('send_ecommerce', 'addToCart', { products: [{ id: 'a1', quantity: 1 }] }); // no mod_id: the first account
      ct('efgh5678', 'send_ecommerce', 'addToCart', { products: [{ id: 'b1', quantity: 1 }] });
      ct('abcd1234', 'send_ecommerce', 'purchase', { id: 'SAME-1', products: [{ id: 'a1', quantity: 1 }] });
      // The same transaction id in the other account is another purchase; its repeat is not.
      ct('efgh5678', 'send_ecommerce', 'purchase', { id: 'SAME-1', products: [{ id: 'b1', quantity: 1 }] });
      ct('efgh5678', 'send_ecommerce', 'purchase', { id: 'SAME-1', products: [{ id: 'b1', quantity: 1 }] });
      ct('send_ecommerce', 'detail', { products: [{ id: 'last' }] });
    });
    await s.h.collector.waitFor(5);
    await flush(tab);

    expect(raws(s.h.collector.all)).toEqual(jsons([
      siteBody(session(MOD_A), 'addToCart', { products: [{ id: 'a1', quantity: 1 }] }),
      siteBody(session(MOD_B), 'addToCart', { products: [{ id: 'b1', quantity: 1 }] }),
      siteBody(session(MOD_A), 'purchase', { id: 'SAME-1', products: [{ id: 'a1', quantity: 1 }] }),
      siteBody(session(MOD_B), 'purchase', { id: 'SAME-1', products: [{ id: 'b1', quantity: 1 }] }),
      siteBody(session(MOD_A), 'detail', { products: [{ id: 'last' }] }),
    ]));
    expect(s.w.errors()).toEqual([]);
  });
});

describe('bad calls', () => {
  const METHODS = 'detail, addToCart, removeFromCart, checkout, purchase, refund';
  const TOO_BIG = /^ecomtag: ct\('send_ecommerce', 'purchase'\): the event is \d+ bytes, over the 64 KB limit$/;
  const P = BAD_PURCHASE;
  // [what, the call as page code, the one console.error line it must print]
  const table: Array<[string, string, string | RegExp]> = [
    ['no transaction id', "ct('send_ecommerce', 'purchase', { products: [{ id: 1 }] })", `${P}id is required`],
    ['a blank transaction id', "ct('send_ecommerce', 'purchase', { id: '  ', products: [{ id: 1 }] })", `${P}id is required`],
    ['no products', "ct('send_ecommerce', 'purchase', { id: 'B1' })", `${P}products must not be empty`],
    ['empty products', "ct('send_ecommerce', 'purchase', { id: 'B1', products: [] })", `${P}products must not be empty`],
    ['params null', "ct('send_ecommerce', 'purchase', null)", `${P}params must be an object, got null`],
    ['params undefined', "ct('send_ecommerce', 'purchase')", `${P}params must be an object, got undefined`],
    ['params a function', "ct('send_ecommerce', 'purchase', () => 1)", `${P}params must be an object, got () => 1`],
    ['products an object', "ct('send_ecommerce', 'purchase', { id: 'B1', products: { id: 1 } })", `${P}products must be an array, got an object`],
    ['a product that is null', "ct('send_ecommerce', 'purchase', { id: 'B1', products: [null] })", `${P}products[0] must be an object, got null`],
    ['a product without id', "ct('send_ecommerce', 'purchase', { id: 'B1', products: [{ name: 'x' }] })", `${P}products[0].id is required`],
    ['a symbol as product id', "ct('send_ecommerce', 'purchase', { id: 'B1', products: [{ id: Symbol('s') }] })", `${P}products[0].id must be a string, got Symbol(s)`],
    ['a function as product name', "ct('send_ecommerce', 'purchase', { id: 'B1', products: [{ id: 1, name: () => 1 }] })", `${P}products[0].name must be a string, got () => 1`],
    ['NaN price', "ct('send_ecommerce', 'purchase', { id: 'B1', products: [{ id: 1, price: NaN }] })", `${P}products[0].price must be a number >= 0, got NaN`],
    ['Infinity margin', "ct('send_ecommerce', 'purchase', { id: 'B1', products: [{ id: 1, margin: Infinity }] })", `${P}products[0].margin must be a number, got Infinity`],
    ['a negative price', "ct('send_ecommerce', 'purchase', { id: 'B1', products: [{ id: 1, price: -1 }] })", `${P}products[0].price must be a number >= 0, got -1`],
    ['a comma decimal', "ct('send_ecommerce', 'purchase', { id: 'B1', products: [{ id: 1, price: '150,50' }] })", `${P}products[0].price must be a number >= 0, got "150,50"`],
    ['a negative quantity', "ct('send_ecommerce', 'purchase', { id: 'B1', products: [{ id: 1, quantity: -1 }] })", `${P}products[0].quantity must be a whole number >= 0, got -1`],
    ['a fractional quantity', "ct('send_ecommerce', 'purchase', { id: 'B1', products: [{ id: 1, quantity: '1.5' }] })", `${P}products[0].quantity must be a whole number >= 0, got "1.5"`],
    ['a getter that throws', "ct('send_ecommerce', 'purchase', { id: 'B1', products: [{ get id() { throw new Error('boom'); } }] })", /^ecomtag: ct\('send_ecommerce', 'purchase'\): .+/],
    ['5000 products', "ct('send_ecommerce', 'purchase', { id: 'B1', products: Array.from({ length: 5000 }, (_, i) => ({ id: i, name: 'Товар ' + i, price: 100, quantity: 1 })) })", TOO_BIG],
    ['a 100 KB name', "ct('send_ecommerce', 'purchase', { id: 'B1', products: [{ id: 1, name: 'x'.repeat(100000) }] })", TOO_BIG],
    ['an unknown method', "ct('send_ecommerce', 'view', { products: [{ id: 1 }] })", `ecomtag: ct('send_ecommerce', 'view'): the method must be ${METHODS}, got "view"`],
    ['a symbol as method', "ct('send_ecommerce', Symbol('m'), { products: [{ id: 1 }] })", `ecomtag: ct('send_ecommerce'): the method must be ${METHODS}, got Symbol(m)`],
    // The console gets a short line, not the 100 KB.
    ['a 100 KB string as method', "ct('send_ecommerce', 'x'.repeat(100000), { products: [{ id: 1 }] })", /^ecomtag: ct\('send_ecommerce', 'x{1,60}'\): the method must be [^]{0,200}$/],
    ['an unknown mod_id', "ct('zzzz9999', 'send_ecommerce', 'purchase', { id: 'B1', products: [{ id: 1 }] })", `ecomtag: ct('zzzz9999', 'send_ecommerce', 'purchase'): no account has mod_id "zzzz9999"`],
    ['a refund line without quantity', "ct('send_ecommerce', 'refund', { id: 'B1', products: [{ id: 1 }] })", "ecomtag: ct('send_ecommerce', 'refund'): products[0].quantity is required in a refund"],
    ['a contact with a bad email', "ct('set_contact', { email: 'not-an-email' })", `ecomtag: ct('set_contact'): contact.email must be an address, got "not-an-email"`],
  ];

  it.each(table)('%s: one console.error, nothing sent, the page goes on', async (_, call, line) => {
    const tab = await shop('/bad');
    // Page code right after the call still runs: nothing was thrown into it.
    expect(await tab.evaluate(`${call}; 'still running'`)).toBe('still running');
    await settleConsole(tab, s.w);
    // Long lines are cut here so a failure report stays readable; a cut line fails the match.
    const errors = s.w.errors().map((e) => (e.length > 400 ? `${e.slice(0, 400)}… (${e.length} chars)` : e));
    expect(errors).toHaveLength(1);
    if (typeof line === 'string') expect(errors[0]).toBe(line);
    else expect(errors[0]).toMatch(line);

    // A good purchase with the same transaction id goes out, alone: the bad
    // call sent nothing and did not use up the id.
    await tab.evaluate(() => ct('send_ecommerce', 'purchase', { id: 'B1', products: [{ id: 1 }] }));
    await s.h.collector.waitFor(1);
    await flush(tab);
    expect(raws(s.h.collector.all)).toEqual(jsons([siteBody(SESSIONS[MOD_A], 'purchase', { id: 'B1', products: [{ id: '1' }] })]));
  });

  it.each([
    [
      'a cyclic params object',
      "const p = { id: 'C1', products: [{ id: 1, quantity: 1 }] }; p.self = p; p.products[0].parent = p; p.products[0].self = p.products[0]; ct('send_ecommerce', 'purchase', p)",
      { id: 'C1', products: [{ id: '1', quantity: 1 }] },
    ],
    [
      '__proto__ keys',
      'ct(\'send_ecommerce\', \'purchase\', JSON.parse(\'{"id": "P1", "__proto__": {"polluted": 1}, "products": [{"id": "1", "__proto__": {"polluted": 1, "name": "evil"}}]}\'))',
      { id: 'P1', products: [{ id: '1' }] },
    ],
  ])('odd but valid: %s is sent as plain data, once', async (_, call, expected) => {
    const tab = await shop('/odd');
    expect(await tab.evaluate(`${call}; 'still running'`)).toBe('still running');
    await s.h.collector.waitFor(1);
    await flush(tab);

    expect(raws(s.h.collector.all)).toEqual(jsons([siteBody(SESSIONS[MOD_A], 'purchase', expected)]));
    expect(await tab.evaluate(() => [({} as any).polluted, (Object.prototype as any).polluted])).toEqual([undefined, undefined]);
    await settleConsole(tab, s.w);
    expect(s.w.errors()).toEqual([]);
  });
});

describe('pass-through to Calltouch’s script', () => {
  it('hands other commands to window.ctw with their arguments and returns its answer', async () => {
    // One pass-through call made before the bundle loads: it is queued and replayed like the rest.
    const tab = await shop('/pass', fakeCalltouch(), inline("ct('goal', 'early');"));
    const result = await tab.evaluate(() => {
      const attrs = { a: 1 };
      const one = ct('calltracking_params', 'abcd1234');
      const all = ct('calltracking_params');
      const goal = ct('set_attrs', attrs, 'x');
      const last = ctw.calls[ctw.calls.length - 1];
      return { one, all, goal, same: last[1] === attrs, last, early: ctw.calls.some((c: unknown[]) => c[0] === 'goal' && c[1] === 'early') };
    });
    expect(result).toEqual({
      one: SESSIONS[MOD_A],
      all: [SESSIONS[MOD_A], SESSIONS[MOD_B]],
      goal: 'pass:set_attrs',
      same: true,
      last: ['set_attrs', { a: 1 }, 'x'],
      early: true,
    });

    // Nothing of that went to the collector: only the marker event arrives.
    await tab.evaluate(() => ct('send_ecommerce', 'detail', { products: [{ id: 'marker' }] }));
    await s.h.collector.waitFor(1);
    await flush(tab);
    expect(raws(s.h.collector.all)).toEqual(jsons([siteBody(SESSIONS[MOD_A], 'detail', { products: [{ id: 'marker' }] })]));
    await settleConsole(tab, s.w);
    expect(s.w.errors()).toEqual([]);
  });

  it('without Calltouch’s script: one console.error, undefined returned, nothing sent', async () => {
    const tab = await shop('/pass-none', '');
    expect(await tab.evaluate(() => ct('goal', 'x') === undefined)).toBe(true);
    await settleConsole(tab, s.w);
    const errors = s.w.errors();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^ecomtag: ct\('goal', 'x'\): /);
    expect(s.h.collector.all).toEqual([]);
  });
});
