// Small node:http helpers shared by the collector and the site server.

/**
 * Reads a request body as UTF-8, giving up past `limit` bytes so a runaway
 * client cannot make a test process buffer without bound.
 * @param {import('node:http').IncomingMessage} req
 * @param {number} limit bytes
 * @returns {Promise<string | null>} the body, or null when it exceeded limit
 */
export function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > limit) return resolve(null);
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > limit) {
        // Keep the stream flowing with no listener: the rest is discarded, so
        // the client can still read our 413 instead of a reset connection.
        req.removeAllListeners('data');
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The media type of a Content-Type header without parameters, lower-cased:
 * `text/plain;charset=UTF-8` -> `text/plain`.
 * @param {string | undefined} header
 */
export function mediaType(header) {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} payload
 * @param {Record<string, string>} [headers]
 */
export function sendJson(res, status, payload, headers = {}) {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(payload));
}

/**
 * Listens on 127.0.0.1 only: the browser under test and the servers share the
 * machine, and nothing else should reach a test server.
 * @param {import('node:http').Server} server
 * @param {number} port 0 picks a free port
 * @returns {Promise<number>} the bound port
 */
export function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
    });
  });
}

/**
 * Stops listening and drops every open connection, including keep-alive ones
 * a browser holds and requests deliberately left unanswered; otherwise
 * close() would wait for them forever.
 * @param {import('node:http').Server} server
 * @returns {Promise<void>}
 */
export function shutdown(server) {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
