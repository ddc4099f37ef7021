// `npm run size`: the bytes of each build of the tag and of the stub, against their budgets.
import { BUNDLES, STUB_RAW, measure } from './sizes.mjs';

let over = false;
for (const [file, { gzip, goal }] of Object.entries(BUNDLES)) {
  const size = measure(file);
  over = over || size.gzip > gzip;
  const aim = goal < gzip ? `, goal ${goal}` : '';
  console.log(`dist/${file.padEnd(21)} ${size.raw} B raw, ${size.gzip} B gzip (budget ${gzip}${aim}), ${size.brotli} B brotli`);
}
const stub = measure('snippet.min.js');
console.log(`dist/${'snippet.min.js'.padEnd(21)} ${stub.raw} B raw (budget ${STUB_RAW}), ${stub.gzip} B gzip, ${stub.brotli} B brotli`);
if (over || stub.raw > STUB_RAW) process.exitCode = 1;
