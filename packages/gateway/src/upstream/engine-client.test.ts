import { afterEach, describe, expect, it } from 'vitest';
import {
  barrier,
  closeServers,
  newEngine,
  never,
  seen,
  serve,
  within,
} from './engine-test-servers.js';

afterEach(closeServers);

describe('engine client (own HTTP/1.1 client, no body stream)', () => {
  it('sends the body and headers, and returns status and text', async () => {
    const url = await serve((req, res) => {
      let b = '';
      req.on('data', (c: Buffer) => (b += c.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            got: JSON.parse(b) as unknown,
            ct: req.headers['content-type'],
            tp: req.headers.traceparent,
          }),
        );
      });
    });
    const engine = newEngine();
    const r = await engine.post(url, '/v1/x', '{"a":1}', never, { traceparent: 't' });
    expect(r.status).toBe(201);
    expect(JSON.parse(await r.text())).toEqual({ got: { a: 1 }, ct: 'application/json', tp: 't' });
  });

  it('a body far larger than its buffer arrives whole and in order, read slowly', async () => {
    const chunk = (i: number) => `${String(i).padStart(8, '0')}${'x'.repeat(8184)}`; // 8 KiB each
    const url = await serve((_req, res) => {
      res.writeHead(200);
      let i = 0;
      const more = (): void => {
        while (i < 256) if (!res.write(chunk(i++))) return void res.once('drain', more);
        res.end();
      };
      more();
    });
    const engine = newEngine();
    const r = await engine.post(url, '/v1/x', '{}', never);
    const it = r.chunks();
    let text = '';
    for (let n = await it.next(); !n.done; n = await it.next()) {
      text += n.value.toString();
      await new Promise((res) => setImmediate(res)); // a slow reader: the socket gets paused
    }
    expect(text.length).toBe(256 * 8192);
    for (let i = 0; i < 256; i++)
      expect(text.slice(i * 8192, i * 8192 + 8)).toBe(String(i).padStart(8, '0'));
  });

  it('bytes() asked after much of the body came gets it whole and in order', async () => {
    const chunk = (i: number) => `${String(i).padStart(8, '0')}${'y'.repeat(8184)}`;
    // The reader comes late: once the engine is held back (the client paused its socket), or
    // has sent everything (the kernel's buffers took it all).
    let blocked!: () => void;
    const late = new Promise<void>((r) => (blocked = r));
    const url = await serve((_req, res) => {
      res.writeHead(200);
      let i = 0;
      const more = (): void => {
        while (i < 128)
          if (!res.write(chunk(i++))) {
            blocked();
            return void res.once('drain', more);
          }
        res.end(blocked);
      };
      more();
    });
    const engine = newEngine();
    const r = await engine.post(url, '/v1/x', '{}', never);
    await late;
    const body = (await r.bytes()).toString();
    expect(body.length).toBe(128 * 8192);
    for (let i = 0; i < 128; i++)
      expect(body.slice(i * 8192, i * 8192 + 8)).toBe(String(i).padStart(8, '0'));
  });

  it('a connection refused rejects the call; a body cut mid-way fails the reader', async () => {
    const engine = newEngine();
    await expect(engine.post('http://127.0.0.1:1', '/v1/x', '{}', never)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('partial');
      setImmediate(() => res.socket?.destroy());
    });
    const r = await engine.post(url, '/v1/x', '{}', never);
    await expect(r.text()).rejects.toThrow();
  });
});

describe('engine client: invalid inputs', () => {
  async function rejection(p: Promise<unknown>): Promise<Error> {
    return p.then(
      () => expect.unreachable('post resolved'),
      (e: Error) => e,
    );
  }

  it.each(['ftp://x', 'http://127.0.0.1:1/path'])('rejects the base URL %s', async (base) => {
    const engine = newEngine();
    const err = await rejection(engine.post(base, '/v1/x', '{}', never));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toContain(base);
  });

  it('rejects a header value with CRLF in it, sending nothing', async () => {
    const url = await serve((_req, res) => res.end('ok'));
    const engine = newEngine();
    const err = await rejection(
      engine.post(url, '/v1/x', '{}', never, { traceparent: 't\r\nx-injected: 1' }),
    );
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toContain('traceparent');
    await barrier(url);
    expect(seen.posts).toEqual([]);
  });

  it('rejects an extra header that would reframe the request', async () => {
    const engine = newEngine();
    for (const name of ['Content-Length', 'transfer-encoding', 'host', 'connection']) {
      const err = await rejection(
        engine.post('http://127.0.0.1:1', '/v1/x', '{}', never, { [name]: '5' }),
      );
      expect(err).toBeInstanceOf(TypeError);
      expect(err.message).toContain(name);
    }
  });

  it('rejects a path with a space or a control character, before and after a good one', async () => {
    const url = await serve((_req, res) => res.end('ok'));
    const engine = newEngine();
    for (const path of ['/v1/a b', '/v1/x', 'v1/x', '/v1/x\r\nx: 1', '/v1/x']) {
      const p = engine.post(url, path, '{}', never);
      if (path === '/v1/x') expect(await (await p).text()).toBe('ok');
      else expect((await rejection(p)).message).toContain('path');
    }
    await barrier(url);
    expect(seen.posts).toEqual(['/v1/x', '/v1/x']);
  });

  it('bytes() and text() asked together both get the whole body', async () => {
    const url = await serve((_req, res) => res.end('the body'));
    const engine = newEngine();
    const r = await engine.post(url, '/v1/x', '{}', never);
    const [b, t] = await within(Promise.all([r.bytes(), r.text()]), 2000, 'both readers');
    expect(b.toString()).toBe('the body');
    expect(t).toBe('the body');
  });
});
