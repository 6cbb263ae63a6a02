import { startOpsServer } from '@bascule/control-plane';
import type { ServerTimeouts } from '@bascule/gateway';
import { Registry } from 'prom-client';
import { slowClient } from '@bascule/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiStack, type ApiStack } from '../api/support/api-stack.js';
import { modelResource, routeResource } from '../gateway/support/fixtures.js';
import { startTestGateway, type TestGateway } from '../gateway/support/harness.js';

/** Short limits so the test is quick; production defaults are GATEWAY/API/OPS_TIMEOUTS. */
const T: ServerTimeouts = { headersMs: 400, requestMs: 1000, idleMs: 1500, keepAliveMs: 400 };
/** Node's defaults (60 s headers, 300 s request checked every 30 s, 5 s keep-alive) are past it. */
const DEADLINE_MS = 4000;

interface Outcome {
  closed: boolean;
  answer: string;
}

/**
 * Opens a raw connection, writes `opening`, then trickles `drip` every 100 ms (so the client
 * is never idle) until the server closes the connection or the deadline passes.
 */
async function trickle(url: string, opening: string, drip: string | undefined): Promise<Outcome> {
  const u = new URL(url);
  const o = await slowClient({
    port: Number(u.port),
    host: u.hostname,
    opening,
    drip,
    deadlineMs: DEADLINE_MS,
  });
  return { closed: o.closedAfterMs !== undefined, answer: o.answer };
}

describe('header, body and idle timeouts on every port (slow-loris)', () => {
  let gw: TestGateway;
  let api: ApiStack;
  let ops: Awaited<ReturnType<typeof startOpsServer>>;
  const ports: Record<string, () => string> = {
    gateway: () => gw.url,
    api: () => api.api.url,
    ops: () => ops.url,
  };

  beforeAll(async () => {
    gw = await startTestGateway({
      models: [modelResource('small')],
      routes: [routeResource('chat', { targets: [{ model: 'small' }] })],
      timeouts: T,
    });
    api = await startApiStack('l4:1x1', T);
    ops = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      registry: new Registry(),
      ready: () => true,
      timeouts: T,
    });
  }, 60_000);
  afterAll(async () => {
    await gw?.close();
    await api?.close();
    await ops?.close();
  });

  for (const port of Object.keys(ports)) {
    it(`${port}: headers trickled past the header limit get 408 and a closed connection`, async () => {
      const o = await trickle(
        ports[port]!(),
        'GET /healthz HTTP/1.1\r\nHost: x\r\n',
        'X-Slow: 1\r\n',
      );
      expect(o.closed).toBe(true);
      expect(o.answer).toMatch(/^HTTP\/1\.1 408/);
    });

    it(`${port}: a body trickled past the request limit gets a closed connection`, async () => {
      const path = port === 'gateway' ? '/v1/chat/completions' : '/api/v1/apply';
      const o = await trickle(
        ports[port]!(),
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
        ' ',
      );
      expect(o.closed).toBe(true);
    });

    it(`${port}: a kept-alive connection left silent is closed after the idle limit`, async () => {
      const o = await trickle(
        ports[port]!(),
        'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
        undefined,
      );
      expect(o.answer).toMatch(/^HTTP\/1\.1 200/);
      expect(o.closed).toBe(true);
    });
  }
});
