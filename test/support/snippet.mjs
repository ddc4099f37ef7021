// Test pages install the tag exactly as the README tells a store to, so a
// test that passes here passes for a store that copied the README.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const STUB_FILE = fileURLToPath(new URL('../../dist/snippet.min.js', import.meta.url));

/**
 * The inline snippet: `<script>(STUB)(window,document,"ct",{…},"URL");</script>`.
 * The stub is read at call time because the build may run after this module
 * was imported.
 * @param {{name?: string, config: unknown, bundleUrl: string}} options
 */
export function snippetTag({ name = 'ct', config, bundleUrl }) {
  const stub = readStub();
  return `<script>(${stub})(window,document,${scriptJson(name)},${scriptJson(config)},${scriptJson(bundleUrl)});</script>`;
}

/**
 * The CSP-friendly install: no inline script, configuration in data-*.
 * @param {{name?: string, config: unknown, bundleUrl: string}} options
 */
export function dataAttrTag({ name = 'ct', config, bundleUrl }) {
  // Only & and ' are escaped in the config so the JSON reads as the README
  // shows it; the browser hands the tag the same string either way.
  const json = JSON.stringify(config).replace(/&/g, '&amp;').replace(/'/g, '&#39;');
  return `<script async src="${escapeHtml(bundleUrl)}" data-name="${escapeHtml(name)}" data-config='${json}'></script>`;
}

/**
 * A minimal complete document; the charset matters because configs and
 * product names carry Cyrillic.
 * @param {{head?: string, body?: string, title?: string}} [parts]
 */
export function page({ head = '', body = '', title = 'ecomtag test' } = {}) {
  return `<!doctype html><html><head><meta charset=utf-8><title>${escapeHtml(title)}</title>${head}</head><body>${body}</body></html>`;
}

function readStub() {
  let source;
  try {
    source = readFileSync(STUB_FILE, 'utf8');
  } catch {
    throw new Error(`${STUB_FILE} is missing: build the tag first (npm run build)`);
  }
  // The build may end the file with a newline or a semicolon; either would
  // break the `(STUB)(…)` call.
  const stub = source.trim().replace(/;$/, '');
  // Fail here, naming the file, rather than as a syntax error inside a page
  // that a browser test would only report as "the tag never loaded".
  try {
    new Function(`return (${stub});`); // parsed, never called
  } catch (error) {
    throw new Error(`${STUB_FILE} is not a single function expression: ${error}`);
  }
  return stub;
}

/**
 * JSON that is also safe inside an inline <script>: `<` escaped, so a value
 * holding `</script>` or `<!--` cannot end the element early. Exported for
 * tests that write their own page scripts.
 * @param {unknown} value
 */
export function scriptJson(value) {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * For text and double-quoted attribute values.
 * @param {string} value
 */
function escapeHtml(value) {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
