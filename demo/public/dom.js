// DOM building for the demo's pages: every string becomes a text node or an attribute value, never markup,
// so whatever a collector received can be shown as it is.

/**
 * `h('a', {href: '/cart', class: 'btn', onclick: go}, 'Корзина ', badge)`. Props that are null, undefined or
 * false are left out; `on…` functions become listeners; `dataset` sets data-* attributes. Children that are
 * null, undefined or false are skipped; arrays are spread.
 * @param {string} tag
 * @param {Record<string, unknown>} [props]
 * @param {...unknown} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), /** @type {EventListener} */ (value));
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...nodes(children));
  return element;
}

/**
 * @param {unknown[]} children
 * @returns {Array<Node | string>}
 */
function nodes(children) {
  return children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false)
    .map((child) => (child instanceof Node ? child : String(child)));
}

/**
 * Replaces an element's children.
 * @param {Element} element
 * @param {...unknown} children
 */
export function fill(element, ...children) {
  element.replaceChildren(...nodes(children));
}

const rubles = new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB' });

/** @param {number | string} amount */
export const formatPrice = (amount) => rubles.format(Number(amount));

/**
 * localStorage that never throws into the page (blocked storage, quota): reads fall back to `fallback`.
 * @template T
 * @param {string} key
 * @param {T} fallback
 * @returns {T}
 */
export function readJson(key, fallback) {
  try {
    const text = localStorage.getItem(key);
    return text === null ? fallback : JSON.parse(text);
  } catch {
    return fallback;
  }
}

/**
 * @param {string} key
 * @param {unknown} value
 */
export function writeJson(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // The demo store goes on without remembering; the tag has its own fallback.
  }
}
