import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { waitFor } from '@bascule/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import {
  OK,
  closeServers,
  newEngine,
  never,
  rawServe,
  seen,
  serve,
  signals,
  within,
} from './engine-test-servers.js';

afterEach(closeServers);

describe('engine client: cancel', () => {
  for (const [kind, make] of signals) {
    it(`${kind} cancels a request the engine holds`, async () => {
      const url = await serve(() => undefined);
      const engine = newEngine();
      const { signal, abort } = make();
      const p = engine.post(url, '/1', '{}', signal);
      await waitFor('the engine has the request', () => seen.posts.length === 1, 2000, 5);
      abort();
      await expect(within(p, 2000, 'post')).rejects.toThrow(/abort/i);
      await waitFor('the connection is closed', () => seen.closed === 1, 2000, 5);
    });

    it(`${kind} cancels a request queued behind connections: 1; it never reaches the engine`, async () => {
      const held: ServerResponse[] = [];
      const url = await serve((req, res) => (req.url === '/1' ? held.push(res) : res.end('ok')));
      const engine = newEngine({ connections: 1 });
      const p1 = engine.post(url, '/1', '{}', never);
      await waitFor('the first request is held', () => held.length === 1, 2000, 5);
      const { signal, abort } = make();
      const p2 = engine.post(url, '/2', '{}', signal);
      abort();
      await expect(within(p2, 2000, 'post')).rejects.toThrow(/abort/i);
      held[0]!.end('one');
      expect(await (await p1).text()).toBe('one');
      expect(await (await engine.post(url, '/3', '{}', never)).text()).toBe('ok');
      expect(seen.posts).toEqual(['/1', '/3']);
    });
  }
});

// Found while writing these tests (each failed against the first version of the client).
describe('engine client: what we close ourselves is not retried; a paused connection is resumed', () => {
  // closed() retried any unanswered request on a reused connection, also
  // one whose connection abandon() destroyed (a cancel, a timeout): it is sent to the engine again.
  it('a request cancelled on a reused connection is not sent again', async () => {
    const url = await serve((req, res) => (req.url === '/warm' ? res.end('ok') : undefined));
    const engine = newEngine();
    expect(await (await engine.post(url, '/warm', '{}', never)).text()).toBe('ok');
    const c = new AbortController();
    const p = engine.post(url, '/held', '{}', c.signal);
    await waitFor('the engine has the request', () => seen.posts.length === 2, 2000, 5);
    c.abort();
    await expect(within(p, 2000, 'post')).rejects.toThrow(/abort/i);
    expect(seen.posts).toEqual(['/warm', '/held']);
  });

  it('a request timed out on a reused connection is not sent again', async () => {
    const url = await serve((req, res) => (req.url === '/warm' ? res.end('ok') : undefined));
    const engine = newEngine({ timeoutMs: 200 });
    expect(await (await engine.post(url, '/warm', '{}', never)).text()).toBe('ok');
    const p = engine.post(url, '/held', '{}', never);
    await expect(within(p, 3000, 'post')).rejects.toMatchObject({ code: 'ENGINE_TIMEOUT' });
    expect(seen.posts).toEqual(['/warm', '/held']);
  });

  it('a reused connection reset after the engine held the request a while is not retried', async () => {
    let held: Socket | undefined;
    const url = await rawServe((socket, n) => {
      if (n === 1) socket.write(OK);
      else held = socket; // the engine works on it, then its connection is reset
    });
    // No close counts as the race: the engine had the request for longer than raceMs.
    const engine = newEngine({ keepAliveMs: 10_000, raceMs: 0 });
    expect(await (await engine.post(url, '/1', '{}', never)).text()).toBe('ok');
    const p = engine.post(url, '/2', '{}', never);
    await waitFor('the engine has the second request', () => held !== undefined, 2000, 5);
    held!.resetAndDestroy();
    await expect(within(p, 2000, 'post')).rejects.toThrow();
    expect(seen.conns).toBe(1); // not sent again on a new connection
  });

  it('cancel() gives up the rest of a stream: its connection closes, the next request is served', async () => {
    const url = await serve((req, res) => {
      if (req.url === '/next') return res.end('ok');
      res.writeHead(200);
      const more = (): void => {
        while (!res.destroyed && res.write('x'.repeat(16 * 1024)));
        if (!res.destroyed) res.once('drain', more);
      };
      more();
    });
    const engine = newEngine({ connections: 1 });
    const r = await engine.post(url, '/stream', '{}', never);
    await r.chunks().next();
    r.cancel(); // the reader stops (the relay failed): the engine's stream is abandoned
    await waitFor('the stream connection is closed', () => seen.closed === 1, 2000, 5);
    expect(await (await within(engine.post(url, '/next', '{}', never), 2000, 'next')).text()).toBe(
      'ok',
    );
  });

  // engine-client.ts:215-218 with 255-258 and 323-327: the body's last bytes take the queue to
  // HIGH_WATER_BYTES, so body() pauses the socket, then data() releases the connection still
  // paused; unpause() finds this.conn undefined and never resumes it. The next request on it
  // gets no byte of its answer.
  it('a connection paused for a slow reader is resumed for the next request on it', async () => {
    const big = 'x'.repeat(64 * 1024); // HIGH_WATER_BYTES: only the last byte reaches it
    const url = await serve((req, res) => res.end(req.url === '/big' ? big : 'ok'));
    const engine = newEngine({ connections: 1 });
    const r1 = await engine.post(url, '/big', '{}', never);
    const p2 = engine.post(url, '/next', '{}', never); // waits for /big's connection
    // /next is sent once /big has all come in, still unread: its connection was released.
    await waitFor('the engine has the second request', () => seen.posts.length === 2, 2000, 5);
    const it = r1.chunks();
    let length = 0;
    for (let n = await it.next(); !n.done; n = await it.next()) length += n.value.length;
    expect(length).toBe(big.length);
    expect(await (await within(p2, 2000, 'the second post')).text()).toBe('ok');
  });
});
