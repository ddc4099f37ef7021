// Server-side HTML for the demo pages: a tagged template that escapes every interpolated value unless it is
// markup built the same way (or marked trusted with `raw`), so no product name or setting can break a page.

class Markup {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
  }

  toString() {
    return this.text;
  }
}

/** @typedef {Markup | string | number | boolean | null | undefined | Interpolation[]} Interpolation */

/**
 * Trusted markup, inserted as is: our own SVG, the snippet's `<script>`.
 * @param {string} text
 */
export const raw = (text) => new Markup(text);

/** @param {string} value */
const escapeHtml = (value) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * `null`, `undefined` and `false` render as nothing, arrays as their items in a row.
 * @param {Interpolation} value
 * @returns {string}
 */
const render = (value) => {
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
};

/**
 * @param {TemplateStringsArray} strings
 * @param {Interpolation[]} values
 * @returns {Markup}
 */
export const html = (strings, ...values) => raw(strings.reduce((out, text, i) => out + render(values[i - 1]) + text));

/**
 * How every demo page's head starts: a phone-width viewport, no favicon request, and the page's stylesheet.
 * @param {'store' | 'inspector'} stylesheet
 */
export const pageHead = (stylesheet) =>
  raw(`<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><link rel="stylesheet" href="/demo/public/${stylesheet}.css">`);
