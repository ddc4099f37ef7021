// `npm run size`: the bytes of dist/ecomtag.js and the stub against their budgets.
import { BUDGETS, measure } from './sizes.mjs';

const bundle = measure('ecomtag.js');
const stub = measure('snippet.min.js');
console.log(`dist/ecomtag.js      ${bundle.raw} B raw, ${bundle.gzip} B gzip (budget ${BUDGETS.bundleGzip}), ${bundle.brotli} B brotli`);
console.log(`dist/snippet.min.js  ${stub.raw} B raw (budget ${BUDGETS.stubRaw}), ${stub.gzip} B gzip`);
if (bundle.gzip > BUDGETS.bundleGzip || stub.raw > BUDGETS.stubRaw) process.exitCode = 1;
