// The collector's Calltouch schema, checked against the bodies the sources
// show (valid) and against the mistakes a tag could make (invalid). Each row
// names the line of seed 000 it follows. Site product ids are strings, as the
// field table types them (l.143-146); offline ones are numbers where they are
// digits, as that format's example writes them (l.256, l.271).
import { describe, expect, it } from 'vitest';
import {
  offlineFullRefund, offlinePartialRefund, offlinePurchase, siteDetail, sitePurchase, siteRefund,
} from '../support/calltouch-fixtures.mjs';
import { classifyCalltouch, validateCalltouch } from '../support/calltouch-schema.mjs';

type Body = Record<string, unknown>;

/** A deep copy of `base` changed by `edit`, so fixtures stay intact. */
function variant(base: object, edit: (body: Body & { products: Body[] }) => void): Body {
  const body = structuredClone(base) as Body & { products: Body[] };
  edit(body);
  return body;
}

describe('validateCalltouch: valid bodies', () => {
  it.each([
    ['site purchase (reference/calltouch.md)', sitePurchase, 'site'],
    ['site detail (seed 000 call example)', siteDetail, 'site'],
    ['site partial refund (seed 000 call example)', siteRefund, 'site'],
    ['site full refund', variant(siteRefund, (b) => { b.products = []; }), 'site'],
    ['site purchase with a manager of 50 chars', variant(sitePurchase, (b) => { b.manager = 'м'.repeat(50); }), 'site'],
    ['offline purchase (seed 000)', offlinePurchase, 'offline'],
    ['offline full refund (seed 000)', offlineFullRefund, 'offline'],
    ['offline partial refund (seed 000)', offlinePartialRefund, 'offline'],
    ['offline product id that is no number (l.256 types only digits as one)', variant(offlinePurchase, (b) => { b.products[0].id = 'WS01-L'; }), 'offline'],
    ['offline product id of digits a number would change (l.256): leading zero', variant(offlinePurchase, (b) => { b.products[0].id = '007'; }), 'offline'],
    ['offline product id past a safe integer stays a string (l.256)', variant(offlinePurchase, (b) => { b.products[0].id = '9007199254740993'; }), 'offline'],
    ['prices and margins in cents (l.133-136 "150.50")', variant(sitePurchase, (b) => { b.products[0].price = 0.3; b.products[0].margin = -12.05; }), 'site'],
  ])('%s', (_name, body, kind) => {
    expect(validateCalltouch(body)).toEqual([]);
    expect(classifyCalltouch(body)).toBe(kind);
  });
});

describe('validateCalltouch: invalid bodies', () => {
  it.each([
    ['site: numeric product id (l.143-146 types it a string)', variant(sitePurchase, (b) => { b.products[0].id = 1003; }),
      ['products[0].id: expected non-empty string, got 1003']],
    ['offline: an id of digits as a string (l.256 "id": 3, l.271 "strictly as in the example")',
      variant(offlinePurchase, (b) => { b.products[0].id = '3'; }),
      ['products[0].id: expected a number for an id of digits, else a non-empty string, got "3"']],
    ['offline: a fractional product id (l.256)', variant(offlinePurchase, (b) => { b.products[0].id = 3.5; }),
      ['products[0].id: expected a number for an id of digits, else a non-empty string, got 3.5']],
    ['a price of more than cents (l.133-136 "150.50")', variant(sitePurchase, (b) => { b.products[0].price = 0.30000000000000004; }),
      ['products[0].price: expected number >= 0 with at most 2 decimals, got 0.30000000000000004']],
    ['a price of three decimals (l.258 "price": 101)', variant(offlinePurchase, (b) => { b.products[0].price = 10.005; }),
      ['products[0].price: expected number >= 0 with at most 2 decimals, got 10.005']],
    ['a margin of more than cents (l.113-116 "150.50")', variant(siteDetail, (b) => { b.products[0].margin = 1.001; }),
      ['products[0].margin: expected number with at most 2 decimals, got 1.001']],
    ['a name that is no string (l.138-141)', variant(siteDetail, (b) => { b.products[0].name = 5; }),
      ['products[0].name: expected string, got 5']],
    ['quantity as a string', variant(sitePurchase, (b) => { b.products[0].quantity = '2'; }),
      ['products[0].quantity: expected integer >= 0, got "2"']],
    ['fractional quantity', variant(sitePurchase, (b) => { b.products[0].quantity = 1.5; }),
      ['products[0].quantity: expected integer >= 0, got 1.5']],
    ['negative price', variant(siteDetail, (b) => { b.products[1].price = -1; }),
      ['products[1].price: expected number >= 0 with at most 2 decimals, got -1']],
    ['price as a numeric string', variant(siteDetail, (b) => { b.products[0].price = '150.50'; }),
      ['products[0].price: expected number >= 0 with at most 2 decimals, got "150.50"']],
    ['unknown product key (eSputnik-only field)', variant(siteDetail, (b) => { b.products[0].imageUrl = 'x'; }),
      ['products[0].imageUrl: unexpected key']],
    ['empty products on a purchase', variant(sitePurchase, (b) => { b.products = []; }),
      ['products: expected non-empty array, got []']],
    ['refund product without quantity', variant(siteRefund, (b) => { delete b.products[0].quantity; }),
      ['products[0].quantity: missing (expected integer >= 0)']],
    ['offline product without quantity', variant(offlinePurchase, (b) => { delete b.products[0].quantity; }),
      ['products[0].quantity: missing (expected integer >= 0)']],
    ['id on a detail', variant(siteDetail, (b) => { b.id = '1'; }),
      ['id: not allowed for eventType detail']],
    ['purchase without manager', variant(sitePurchase, (b) => { delete b.manager; }),
      ['manager: missing (expected null or string of at most 50 chars)']],
    ['manager on a refund', variant(siteRefund, (b) => { b.manager = null; }),
      ['manager: not allowed for eventType refund']],
    ['manager over 50 chars', variant(sitePurchase, (b) => { b.manager = 'x'.repeat(51); }),
      [`manager: expected null or string of at most 50 chars, got "${'x'.repeat(40)}…"`]],
    ['modId of the wrong shape', variant(sitePurchase, (b) => { b.modId = 'ABCD1234'; }),
      ['modId: expected string /^[0-9a-z]{8}$/, got "ABCD1234"']],
    ['siteId as a string', variant(offlinePurchase, (b) => { b.siteId = '12345'; }),
      ['siteId: expected positive integer, got "12345"']],
    ['offline detail', variant(offlinePurchase, (b) => { b.eventType = 'detail'; }),
      ['eventType: expected one of purchase, refund, got "detail"']],
    ['offline purchase without id', variant(offlinePurchase, (b) => { delete b.id; }),
      ['id: missing (expected non-empty string)']],
    ['extra top-level key', variant(offlineFullRefund, (b) => { b.currency = 'RUB'; }),
      ['currency: unexpected key']],
    ['addTags with a number', variant(siteDetail, (b) => { b.addTags = [1]; }),
      ['addTags: expected array of strings, got array']],
    ['not an object', [], ['body: expected object, got []']],
  ])('%s', (_name, body, errors) => {
    expect(validateCalltouch(body)).toEqual(errors);
  });

  it('lists every problem of a body, not just the first', () => {
    const body = variant(sitePurchase, (b) => { b.sessionId = 0; delete b.id; b.products[0].margin = Infinity; });
    expect(validateCalltouch(body)).toEqual([
      'sessionId: expected positive integer, got 0',
      'id: missing (expected non-empty string)',
      'products[0].margin: expected number with at most 2 decimals, got Infinity',
    ]);
  });
});
