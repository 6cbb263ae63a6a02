import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '@bascule/test-support';
import { describe, expect, it } from 'vitest';
import { createEngineClient } from '../upstream/engine-client.js';
import { ClientGone } from './client-gone.js';

describe('ClientGone: the client leaving cancels its request', () => {
  it('cancels an engine request in flight (undici takes it as its signal)', async () => {
    let upstreamClosed = false;
    const held: IncomingMessage[] = [];
    const server = createServer((req) => {
      held.push(req); // never answers
      req.socket.on('close', () => (upstreamClosed = true));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const engine = createEngineClient();
    try {
      const gone = new ClientGone();
      const sent = engine.post(url, '/v1/chat/completions', '{}', gone);
      await waitFor('the engine has the request', () => held.length === 1, 5000);
      gone.abort();
      await expect(sent).rejects.toThrow(/abort/i);
      await waitFor('the engine connection is closed', () => upstreamClosed, 5000);
    } finally {
      await engine.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('makes an AbortSignal only when asked, aborted if the client already left', () => {
    const before = new ClientGone();
    const signal = before.abortSignal;
    expect(signal.aborted).toBe(false);
    before.abort();
    expect(signal.aborted).toBe(true);
    expect(before.aborted).toBe(true);

    const after = new ClientGone();
    after.abort();
    expect(after.abortSignal.aborted).toBe(true);
    // abort is once: listeners hear it once
    let heard = 0;
    const g = new ClientGone();
    g.on('abort', () => heard++);
    g.abort();
    g.abort();
    expect(heard).toBe(1);
  });
});
