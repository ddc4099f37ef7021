import { describe, expect, it } from 'vitest';
import { BUDGETS, measure } from '../../scripts/sizes.mjs';

// Every byte is paid by every shopper on every page: the budgets of scripts/sizes.mjs, on the built files.
// `npm test` builds first; run alone, a missing dist/ fails here rather than passing unmeasured.
describe('size budget', () => {
  it(`dist/ecomtag.js is at most ${BUDGETS.bundleGzip} bytes gzip`, () => {
    expect(measure('ecomtag.js').gzip).toBeLessThanOrEqual(BUDGETS.bundleGzip);
  });

  it(`the stub is at most ${BUDGETS.stubRaw} bytes`, () => {
    expect(measure('snippet.min.js').raw).toBeLessThanOrEqual(BUDGETS.stubRaw);
  });
});
