import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SseRelay } from './relay-sse.js';

/** Relays `chunks` through SseRelay into a real HTTP response; returns what the client read. */
async function relay(chunks: (Buffer | string)[], dropUsage: boolean) {
  let usage: SseRelay['usage'];
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const r = new SseRelay(res, dropUsage);
    void (async () => {
      for (const c of chunks) await r.push(c);
      await r.end();
      usage = r.usage;
      res.end();
    })();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return { text: await res.text(), usage: usage! };
  } finally {
    server.close();
  }
}

const ev = (o: object) => `data: ${JSON.stringify(o)}\n\n`;
const usageEvent = ev({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3 } });

describe('SseRelay', () => {
  it('passes events through whole, across chunk boundaries, a character split in two included', async () => {
    const text = ev({ choices: [{ delta: { content: 'héllo — 世界' } }] });
    const bytes = Buffer.from(text + usageEvent + 'data: [DONE]\n\n');
    // cut inside the multi-byte "世" and inside an event
    const cut1 = Buffer.from(text).indexOf(Buffer.from('世')) + 1;
    const cut2 = cut1 + 20;
    const out = await relay(
      [bytes.subarray(0, cut1), bytes.subarray(cut1, cut2), bytes.subarray(cut2)],
      false,
    );
    expect(out.text).toBe(bytes.toString('utf8'));
    expect(out.usage).toEqual({ promptTokens: 7, completionTokens: 3 });
  });

  it('drops the usage chunk only the gateway asked for, and keeps a trailing partial event', async () => {
    const first = ev({ choices: [{ delta: { content: 'a' } }] });
    const out = await relay([first, usageEvent, 'data: [DONE]\n\n', 'data: tail'], true);
    expect(out.text).toBe(`${first}data: [DONE]\n\ndata: tail`);
    expect(out.usage).toEqual({ promptTokens: 7, completionTokens: 3 });
  });
});
