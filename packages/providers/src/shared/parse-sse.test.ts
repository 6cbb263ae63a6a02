import { describe, expect, it } from 'vitest';
import { parseSse, type SseEvent } from './parse-sse.js';

async function parse(pieces: string[]): Promise<SseEvent[]> {
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const p of pieces) {
      await Promise.resolve();
      yield new TextEncoder().encode(p);
    }
  }
  const out: SseEvent[] = [];
  for await (const e of parseSse(body())) out.push(e);
  return out;
}

// Framing rules: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
describe('parseSse', () => {
  it('parses named events, comments and multi-line data split across chunks', async () => {
    expect(
      await parse([
        ': keep-alive\n\nevent: message_start\nda',
        'ta: {"a":1}\n\ndata: line1\r\n',
        'data: line2\r\n\r',
        '\ndata: [DONE]\n\n',
      ]),
    ).toEqual([
      { event: 'message_start', data: '{"a":1}' },
      { data: 'line1\nline2' },
      { data: '[DONE]' },
    ]);
  });
  it('yields a final event that lacks the trailing blank line', async () => {
    expect(await parse(['data: {"x":1}'])).toEqual([{ data: '{"x":1}' }]);
  });
  it('handles a multi-byte character split between chunks', async () => {
    const bytes = new TextEncoder().encode('data: héllo\n\n');
    async function* body(): AsyncGenerator<Uint8Array> {
      await Promise.resolve();
      yield bytes.slice(0, 8);
      yield bytes.slice(8);
    }
    const out: SseEvent[] = [];
    for await (const e of parseSse(body())) out.push(e);
    expect(out).toEqual([{ data: 'héllo' }]);
  });
});
