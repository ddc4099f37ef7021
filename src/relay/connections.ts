/**
 * Every connection kept to its deadlines, to the millisecond: its request headers within `headersTimeoutMs` of
 * opening (a connection that never sends a byte included), each request's body within `bodyTimeoutMs` of its
 * headers, and no more than `idleTimeoutMs` with no request between two. Past a deadline the connection is destroyed:
 * a slow sender of a 20 KB body is an attack, not a shopper, and the tag retries what got no answer. At most
 * `maxConnections` at once (node:http closes the rest as they come), so a crowd of silent connections cannot take the
 * file descriptors the relay needs to reach eSputnik.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { RelayLogLine } from './types';

export const CONNECTION_DEFAULTS = {
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 20_000,
  idleTimeoutMs: 5_000,
  maxConnections: 400,
} as const;

/** Connections refused at the cap are logged at most this often. */
const DROP_WARNING_INTERVAL_MS = 60_000;

interface Connection {
  socket: Socket;
  /** Requests received and not yet answered. */
  active: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface Supervisor {
  /** Requests being answered. */
  busy(): number;
  /** From now on: connections with nothing to answer are closed at once, the others once answered, new ones at once. */
  stop(): void;
  closeAll(): void;
}

export const superviseConnections = (
  server: Server,
  settings: { headersTimeoutMs: number; bodyTimeoutMs: number; idleTimeoutMs: number; maxConnections: number; log: (line: RelayLogLine) => void },
): Supervisor => {
  const connections = new Map<Socket, Connection>();
  let stopping = false;
  let warnedAt = -Infinity;

  const deadline = (connection: Connection, ms: number) => {
    clearTimeout(connection.timer);
    connection.timer = setTimeout(() => connection.socket.destroy(), ms);
    connection.timer.unref();
  };
  const clear = (connection: Connection) => {
    clearTimeout(connection.timer);
    connection.timer = undefined;
  };

  server.on('connection', (socket: Socket) => {
    if (stopping) {
      socket.destroy();
      return;
    }
    const connection: Connection = { socket, active: 0, timer: undefined };
    connections.set(socket, connection);
    deadline(connection, settings.headersTimeoutMs);
    socket.once('close', () => {
      clear(connection);
      connections.delete(socket);
    });
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const connection = connections.get(req.socket);
    if (!connection) return;
    connection.active += 1;
    // The headers are in; the body has its own deadline, and the answer none of the client's making.
    deadline(connection, settings.bodyTimeoutMs);
    const received = () => {
      if (connection.active > 0) clear(connection);
    };
    if (req.complete) received();
    else req.once('end', received);
    res.once('close', () => {
      connection.active -= 1;
      if (connection.active > 0) return;
      if (stopping) connection.socket.destroy();
      else deadline(connection, settings.idleTimeoutMs);
    });
  });

  server.on('drop', () => {
    const now = performance.now();
    if (now - warnedAt < DROP_WARNING_INTERVAL_MS) return;
    warnedAt = now;
    settings.log({
      time: new Date().toISOString(),
      level: 'warn',
      msg: 'connection refused',
      reason: `${settings.maxConnections} connections are open (RELAY_MAX_CONNECTIONS); new ones are closed until some end`,
    });
  });

  return {
    busy: () => [...connections.values()].reduce((sum, connection) => sum + connection.active, 0),
    stop() {
      stopping = true;
      for (const connection of connections.values()) if (connection.active === 0) connection.socket.destroy();
    },
    closeAll() {
      for (const connection of connections.values()) connection.socket.destroy();
    },
  };
};
