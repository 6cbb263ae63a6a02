import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';

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
  const seen = new Map<Socket, { bytes: number; since: number }>();
  server.on('connection', (s: Socket) => {
    seen.set(s, { bytes: 0, since: performance.now() });
    s.once('close', () => seen.delete(s));
  });
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const [s, last] of seen) {
      const bytes = s.bytesRead + s.bytesWritten;
      if (bytes !== last.bytes) {
        last.bytes = bytes;
        last.since = now;
      } else if (now - last.since >= t.idleMs) s.destroy();
    }
  }, idleSweepMs(t.idleMs));
  sweep.unref();
  server.once('close', () => clearInterval(sweep));
}

/** How often the idle sweep runs: a tenth of the limit, between 25 ms and 30 s. */
export function idleSweepMs(idleMs: number): number {
  return Math.max(25, Math.min(30_000, Math.floor(idleMs / 10)));
}
