/** Reading what the tag posted: its media type, and at most the limit's worth of bytes. */

/** eSputnik's own limit for a Generate event body: a larger one would be refused upstream anyway. */
export const BODY_LIMIT_BYTES = 20 * 1024;

/**
 * The tag's fetch sends application/json; its sendBeacon sends a string, which browsers label
 * `text/plain;charset=UTF-8` (the one type a beacon can carry without a preflight). The body is JSON either way;
 * it is read as UTF-8, so another declared charset is refused rather than misread.
 */
export const acceptsMediaType = (contentType: string | null): boolean => {
  if (contentType === null) return false;
  const [type, ...parameters] = contentType.split(';');
  if (!['application/json', 'text/plain'].includes(type.trim().toLowerCase())) return false;
  return parameters.every((parameter) => {
    const [name, value = ''] = parameter.split('=');
    return name.trim().toLowerCase() !== 'charset' || /^"?utf-8"?$/i.test(value.trim());
  });
};

/**
 * A stream's first bytes: everything, or once it passes `limit`, what arrived by then (`more`: the rest was not read).
 * Reading stops there and the stream is cancelled, so a peer cannot make the relay buffer more than the limit,
 * whatever Content-Length says or omits.
 */
export const readUpTo = async (stream: ReadableStream<Uint8Array> | null, limit: number): Promise<{ bytes: Uint8Array<ArrayBuffer>; more: boolean }> => {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let more = false;
  if (stream) {
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      chunks.push(value);
      if (size > limit) {
        more = true;
        await reader.cancel().catch(() => undefined);
        break;
      }
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, more };
};

/** A byte order mark is not JSON; it is dropped before parsing and before forwarding. */
export const withoutBom = (bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> =>
  bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The body as JSON, or the refusal `[status, reason, error]` of what cannot be: over 20 KB, unreadable, not JSON. */
export const readJson = async (request: Request): Promise<{ body: unknown } | { refusal: [number, string, string] }> => {
  const tooLarge: [number, string, string] = [413, `body over ${BODY_LIMIT_BYTES} bytes`, `the body must be at most ${BODY_LIMIT_BYTES} bytes`];
  if (Number(request.headers.get('Content-Length')) > BODY_LIMIT_BYTES) return { refusal: tooLarge };
  let read;
  try {
    read = await readUpTo(request.body, BODY_LIMIT_BYTES);
  } catch {
    return { refusal: [400, 'the body could not be read', 'the body could not be read'] };
  }
  if (read.more) return { refusal: tooLarge };
  try {
    return { body: JSON.parse(decoder.decode(withoutBom(read.bytes))) };
  } catch (error) {
    // The parser's own message quotes the body; it stays out of the answer and the log.
    const reason = error instanceof SyntaxError ? 'the body is not JSON' : 'the body is not UTF-8';
    return { refusal: [400, reason, reason] };
  }
};
