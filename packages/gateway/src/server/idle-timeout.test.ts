import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { slowClient } from '@bascule/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyIdleTimeout,
  idleSweepMs,
  serverOptions,
  type ServerTimeouts,
} from './server-timeouts.js';

const T: ServerTimeouts = { headersMs: 5_000, requestMs: 10_000, idleMs: 300, keepAliveMs: 10_000 };

/** A server that reads requests and never answers them. */
async function silentServer(): Promise<Server> {
  const server = createServer(serverOptions(T), () => undefined);
  applyIdleTimeout(server, T);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

/** Opens a connection, writes `opening`, then `drip` every 50 ms; resolves ms until closed (or the deadline). */
async function held(
  server: Server,
  opening: string,
  drip?: string,
  dripForMs = 0,
): Promise<number> {
  const { port } = server.address() as AddressInfo;
  const o = await slowClient({
    port,
    opening,
    drip,
    dripEveryMs: 50,
    dripForMs,
    deadlineMs: 5_000,
  });
  return o.closedAfterMs ?? Infinity;
}

describe('applyIdleTimeout', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  it('closes a connection whose request gets no answer and no byte for the idle limit', async () => {
    server = await silentServer();
    const ms = await held(server, 'GET /x HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(ms).toBeGreaterThanOrEqual(T.idleMs);
    expect(ms).toBeLessThan(T.idleMs + 2 * idleSweepMs(T.idleMs) + 500);
  });

  it('keeps a connection that sends bytes open past the limit, and closes it once it stops', async () => {
    server = await silentServer();
    const ms = await held(
      server,
      'POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n',
      ' ',
      3 * T.idleMs,
    );
    // Its last byte went between 850 and 900 ms: closed no sooner than the limit after it.
    expect(ms).toBeGreaterThanOrEqual(3 * T.idleMs - 50 + T.idleMs);
    expect(ms).toBeLessThan(Infinity);
  });

  it('sweeps every tenth of the limit, between 25 ms and 30 s', () => {
    expect(idleSweepMs(600_000)).toBe(30_000);
    expect(idleSweepMs(120_000)).toBe(12_000);
    expect(idleSweepMs(100)).toBe(25);
  });
});
