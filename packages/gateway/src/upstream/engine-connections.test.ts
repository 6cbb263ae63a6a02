import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { waitFor } from '@bascule/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import {
  OK,
  barrier,
  closeServers,
  newEngine,
  never,
  rawServe,
  seen,
  serve,
  tcpServe,
  within,
} from './engine-test-servers.js';

afterEach(closeServers);

describe('engine client: connections', () => {
  it('keeps the connection alive: two posts, one TCP connection', async () => {
    const url = await serve((_req, res) => res.end('ok'));
    const engine = newEngine();
    expect(await (await engine.post(url, '/1', '{}', never)).text()).toBe('ok');
    expect(await (await engine.post(url, '/2', '{}', never)).text()).toBe('ok');
    expect(seen.posts).toEqual(['/1', '/2']);
    expect(seen.conns).toBe(1);
  });

  it('does not reuse a connection answered with connection: close', async () => {
    // The server leaves the socket open: only the client's reading of the header closes it.
    const url = await rawServe((s) => s.write(OK.replace('\r\n', '\r\nconnection: close\r\n')));
    const engine = newEngine();
    expect(await (await engine.post(url, '/1', '{}', never)).text()).toBe('ok');
    expect(await (await engine.post(url, '/2', '{}', never)).text()).toBe('ok');
    expect(seen.conns).toBe(2);
  });

  it('closes an idle connection the engine sends bytes on; the next post gets a new one', async () => {
    let first: Socket | undefined;
    const url = await rawServe((s) => {
      first ??= s;
      s.write(OK);
    });
    const engine = newEngine();
    expect(await (await engine.post(url, '/1', '{}', never)).text()).toBe('ok');
    first!.write('HTTP/1.1 200 OK\r\n\r\nunasked');
    await waitFor('the idle connection is closed', () => seen.closed === 1, 2000, 5);
    expect(await (await engine.post(url, '/2', '{}', never)).text()).toBe('ok');
    expect(seen.conns).toBe(2);
  });

  it('retries once on a new connection a request whose reused one the engine closed', async () => {
    // Keep-alive race: the engine closes its idle connection as the next request arrives.
    const url = await rawServe((s, n) => (n === 1 ? s.write(OK) : s.destroy()));
    const engine = newEngine();
    expect(await (await engine.post(url, '/1', '{}', never)).text()).toBe('ok');
    expect(await (await engine.post(url, '/2', '{}', never)).text()).toBe('ok');
    expect(seen.conns).toBe(2);
  });

  it('retries within the connection limit: at connections: 1, never a second connection', async () => {
    // /2 gets the reused connection and the engine closes it (the race); /3, in line, gets the
    // next connection; /2's retry waits for it rather than open one more.
    let requests = 0;
    const url = await rawServe((s) => (++requests === 2 ? s.destroy() : s.write(OK)));
    const engine = newEngine({ connections: 1, raceMs: 60_000 });
    expect(await (await engine.post(url, '/1', '{}', never)).text()).toBe('ok');
    const [two, three] = await within(
      Promise.all([engine.post(url, '/2', '{}', never), engine.post(url, '/3', '{}', never)]),
      5000,
      'both posts',
    );
    expect(await two.text()).toBe('ok');
    expect(await three.text()).toBe('ok');
    expect(requests).toBe(4);
    expect(seen.conns).toBe(2);
    expect(seen.maxOpen).toBe(1);
  });

  it('does not reuse a connection answered before its request was all sent', async () => {
    // An engine that answers 413 on the head and reads no more: 32 MB of body stay unsent.
    // Reused, the next request would queue behind them and the engine read them as a request.
    const url = await tcpServe((socket) => {
      let head = '';
      const onData = (c: Buffer) => {
        head += c.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        socket.off('data', onData);
        socket.pause();
        if (head.startsWith('POST /big ')) {
          socket.write('HTTP/1.1 413 Payload Too Large\r\ncontent-length: 3\r\n\r\nbig');
        } else socket.write(OK);
      };
      socket.on('data', onData);
    });
    const engine = newEngine({ timeoutMs: 5000 });
    const big = await engine.post(url, '/big', JSON.stringify({ x: 'a'.repeat(32 << 20) }), never);
    expect(big.status).toBe(413);
    expect(await big.text()).toBe('big');
    const next = await within(engine.post(url, '/2', '{}', never), 4000, 'the next post');
    expect(await next.text()).toBe('ok');
    expect(seen.conns).toBe(2);
  });

  it('forgets an endpoint once its connections are gone; spellings of one URL share a pool', async () => {
    const url = await serve((_req, res) => res.end('ok'));
    const engine = newEngine({ keepAliveMs: 100 });
    expect(await (await engine.post(url, '/1', '{}', never)).text()).toBe('ok');
    expect(await (await engine.post(`${url}/`, '/2', '{}', never)).text()).toBe('ok');
    expect(seen.conns).toBe(1);
    expect(engine.endpoints()).toBe(1);
    await waitFor('the endpoint forgotten', () => engine.endpoints() === 0, 2000, 5);
    expect(await (await engine.post(url, '/3', '{}', never)).text()).toBe('ok');
    expect(engine.endpoints()).toBe(1);
  });

  it('does not retry a request whose new connection was closed before an answer', async () => {
    const url = await rawServe((s) => s.destroy());
    const engine = newEngine();
    await expect(engine.post(url, '/1', '{}', never)).rejects.toThrow();
    expect(seen.conns).toBe(1);
  });

  it('times out an engine that never answers (ENGINE_TIMEOUT)', async () => {
    const url = await serve(() => undefined);
    const engine = newEngine({ timeoutMs: 200 });
    const p = engine.post(url, '/1', '{}', never);
    await expect(within(p, 3000, 'post')).rejects.toMatchObject({ code: 'ENGINE_TIMEOUT' });
  });

  it('closes an idle connection after keepAliveMs', async () => {
    const url = await serve((_req, res) => res.end('ok')); // node:http keeps it 5 s itself
    const engine = newEngine({ keepAliveMs: 100 });
    expect(await (await engine.post(url, '/1', '{}', never)).text()).toBe('ok');
    await waitFor('the idle connection is closed', () => seen.closed === 1, 2000, 5);
  });

  it('with connections: 1, a second post waits for the first to end, then uses its connection', async () => {
    const held: ServerResponse[] = [];
    const url = await serve((req, res) => (req.url === '/1' ? held.push(res) : res.end('two')));
    const engine = newEngine({ connections: 1 });
    const p1 = engine.post(url, '/1', '{}', never);
    await waitFor('the first request is held', () => held.length === 1, 2000, 5);
    const p2 = engine.post(url, '/2', '{}', never);
    await barrier(url);
    expect(seen.posts).toEqual(['/1']);
    held[0]!.end('one');
    expect(await (await p1).text()).toBe('one');
    expect(await (await p2).text()).toBe('two');
    expect(seen.posts).toEqual(['/1', '/2']);
    expect(seen.postSockets.size).toBe(1);
  });

  it('reads a chunked body as it is streamed, each write before the next is sent', async () => {
    let res!: ServerResponse;
    const url = await serve((_req, r) => {
      r.writeHead(200, { 'content-type': 'text/plain' }); // no length: chunked
      r.flushHeaders();
      res = r;
    });
    const engine = newEngine();
    const it = (await engine.post(url, '/1', '{}', never)).chunks();
    for (const piece of ['data: one\n\n', 'data: two, longer\n\n', 'x'.repeat(5000), '[DONE]']) {
      res.write(piece);
      let text = '';
      while (text.length < piece.length) {
        const n = await within(it.next(), 2000, `the piece "${piece.slice(0, 10)}"`);
        if (n.done) throw new Error('the body ended early');
        text += n.value.toString();
      }
      expect(text).toBe(piece);
    }
    res.end();
    expect(await within(it.next(), 2000, 'the end')).toEqual({ done: true, value: undefined });
  });

  it('serves an engine on the ipv6 loopback [::1]', async () => {
    const url = await serve((_req, res) => res.end('six'), '::1');
    const engine = newEngine();
    expect(url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect(await (await engine.post(url, '/1', '{}', never)).text()).toBe('six');
  });
});
