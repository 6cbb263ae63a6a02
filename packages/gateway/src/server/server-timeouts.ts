import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { addToSlots, removeFromSlots, type Slotted } from '../collections/slot-list.js';

/**
 * Time limits of one listening port, against slow clients (slow-loris: headers or a body
 * trickled a byte at a time hold a connection, and its memory, for Node's defaults of 60 s and
 * 300 s, checked only every 30 s).
 */
export interface ServerTimeouts {
  /** All request headers must arrive within this (408 and close otherwise). */
  headersMs: number;
  /** The whole request, body included, must arrive within this (408 and close otherwise). */
  requestMs: number;
  /** A connection with no traffic either way for this long is closed. */
  idleMs: number;
  /** An idle keep-alive connection is closed after this (between requests). */
  keepAliveMs: number;
}

/**
 * The gateway's port: requests arrive quickly, answers may take minutes without a byte
 * (a long non-streamed completion), and /v1/files uploads (up to 200 MB) need their request
 * time.
 */
export const GATEWAY_TIMEOUTS: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 120_000,
  idleMs: 600_000,
  keepAliveMs: 65_000,
};

/** The control API's port (it also serves /v1/files uploads). */
export const API_TIMEOUTS: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 120_000,
  idleMs: 120_000,
  keepAliveMs: 65_000,
};

/** The metrics and health port: tiny requests and answers. */
export const OPS_TIMEOUTS: ServerTimeouts = {
  headersMs: 5_000,
  requestMs: 10_000,
  idleMs: 30_000,
  keepAliveMs: 65_000,
};

/** Options for `createServer` (the expiry check runs often enough for the shortest limit). */
export function serverOptions(t: ServerTimeouts): ServerOptions {
  return {
    headersTimeout: t.headersMs,
    requestTimeout: t.requestMs,
    keepAliveTimeout: t.keepAliveMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(t.headersMs / 4))),
  };
}

/**
 * The idle limit, set on the server once created: a connection with no byte either way for
 * `idleMs` is destroyed. One timer per server compares each connection's byte counts between
 * sweeps (every tenth of the limit, at most 30 s: closed between `idleMs` and `idleMs` plus
 * two sweeps after its last byte). Not `server.setTimeout`: with it node:http re-arms every
 * connection's timeout on every request (a timer and a bound callback made per request, on the
 * gateway's hot path); a sweep costs per connection and per interval instead.
 */
export function applyIdleTimeout(server: Server, t: ServerTimeouts): void {
  // A slot list, not a Map: a client that opens a connection per request would otherwise
  // promote every connection (collections/slot-list.ts).
  const open: Watched[] = [];
  server.on('connection', (socket: Socket) => {
    const c: Watched = { socket, bytes: 0, since: performance.now(), slot: -1 };
    addToSlots(open, c);
    socket.once('close', () => removeFromSlots(open, c));
  });
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const c of open) {
      const bytes = c.socket.bytesRead + c.socket.bytesWritten;
      if (bytes !== c.bytes) {
        c.bytes = bytes;
        c.since = now;
      } else if (now - c.since >= t.idleMs) c.socket.destroy(); // leaves on 'close', later
    }
  }, idleSweepMs(t.idleMs));
  sweep.unref();
  server.once('close', () => clearInterval(sweep));
}

/** A connection the idle sweep watches: its byte count when it last changed, and when. */
interface Watched extends Slotted {
  socket: Socket;
  bytes: number;
  since: number;
}

/** How often the idle sweep runs: a tenth of the limit, between 25 ms and 30 s. */
export function idleSweepMs(idleMs: number): number {
  return Math.max(25, Math.min(30_000, Math.floor(idleMs / 10)));
}
