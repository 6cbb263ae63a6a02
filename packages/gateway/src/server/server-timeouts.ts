import type { Server, ServerOptions } from 'node:http';

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

/** The idle limit, set on the server once created (destroys the silent socket). */
export function applyIdleTimeout(server: Server, t: ServerTimeouts): void {
  server.setTimeout(t.idleMs, (socket) => socket.destroy());
}
