// The "store": serves the built bundle and test pages from 127.0.0.1 on a
// port of its own, so every request to the collector is cross-origin, as it
// is in production. Nothing is cacheable, so a rebuilt bundle is always the
// one under test.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { listen, shutdown } from './http.mjs';

/** @typedef {import('node:http').IncomingMessage} Request */
/** @typedef {import('node:http').ServerResponse} Response */
/** @typedef {string | ((req: Request) => string)} PageSource */
/** @typedef {{html: PageSource, headers: Record<string, string>}} Page */
/**
 * Runs before a request is served. May await (to delay or block it, e.g. the
 * bundle) or answer itself: once it has written the head, the response is its
 * own and the normal handling is skipped (a stream may stay open).
 * @typedef {(req: Request, res: Response) => unknown} RequestHook
 */

const BUNDLE_PATH = '/dist/ecomtag.js';
/** @type {Record<string, string>} */
const CONTENT_TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/**
 * @param {{root: string, port?: number, delayBundleMs?: number}} options
 *   root: the directory files are served from (the repo, so /dist/* works);
 *   delayBundleMs: hold every /dist/ecomtag.js response this long
 */
export async function startSite({ root, port = 0, delayBundleMs = 0 }) {
  const site = new Site(resolve(root));
  if (delayBundleMs > 0) {
    site.onRequest(async (req) => {
      if (pathOf(req) === BUNDLE_PATH) await new Promise((done) => setTimeout(done, delayBundleMs));
    });
  }
  await site.listen(port);
  return site;
}

export class Site {
  #root;
  #port = 0;
  /** @type {Map<string, Page>} */
  #pages = new Map();
  /** @type {RequestHook[]} */
  #hooks = [];
  #server = createServer((req, res) => {
    this.#handle(req, res).catch((error) => {
      if (res.headersSent) res.destroy();
      else text(res, 500, String(error));
    });
  });

  /** @param {string} root */
  constructor(root) {
    this.#root = root;
  }

  /** Origin, e.g. `http://127.0.0.1:41235`. */
  get url() {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** @param {number} port */
  async listen(port) {
    this.#port = await listen(this.#server, port);
  }

  /**
   * Registers (or replaces) a page; the query string is ignored when
   * matching, so `?ecomtag_debug=1` reaches the same page.
   * @param {string} path
   * @param {PageSource} html
   * @param {{headers?: Record<string, string>}} [options] e.g. a Content-Security-Policy
   */
  page(path, html, { headers = {} } = {}) {
    this.#pages.set(path, { html, headers });
    return `${this.url}${path}`;
  }

  /**
   * @param {RequestHook} hook
   * @returns {() => void} removes the hook
   */
  onRequest(hook) {
    this.#hooks.push(hook);
    return () => {
      this.#hooks = this.#hooks.filter((h) => h !== hook);
    };
  }

  close() {
    return shutdown(this.#server);
  }

  /**
   * @param {Request} req
   * @param {Response} res
   */
  async #handle(req, res) {
    for (const hook of this.#hooks) {
      await hook(req, res);
      if (res.headersSent) return;
    }
    const path = pathOf(req);
    const page = this.#pages.get(path);
    if (page) {
      const html = typeof page.html === 'function' ? page.html(req) : page.html;
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.html'], 'Cache-Control': 'no-store', ...page.headers });
      res.end(html);
      return;
    }
    await this.#serveFile(path, res);
  }

  /**
   * @param {string} path URL path
   * @param {Response} res
   */
  async #serveFile(path, res) {
    const decoded = decodeUriPath(path);
    if (decoded === null) return text(res, 400, `malformed path: ${path}`);
    const file = resolve(this.#root, `.${decoded}`);
    if (!file.startsWith(this.#root + sep)) return text(res, 403, 'outside root');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return text(res, 404, `not found: ${path}`);
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(await readFile(file));
  }
}

/** @param {Request} req */
export function pathOf(req) {
  return new URL(req.url ?? '/', 'http://site').pathname;
}

/**
 * @param {string} path
 * @returns {string | null} null for malformed %-escapes
 */
function decodeUriPath(path) {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/**
 * @param {Response} res
 * @param {number} status
 * @param {string} body
 */
function text(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body);
}
