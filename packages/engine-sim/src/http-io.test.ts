import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { SseWriter } from './http-io.js';
import { VirtualClock } from './virtual-clock.js';

/** The part of ServerResponse SseWriter uses, recording what it is given. */
function recordingResponse() {
  const writes: string[] = [];
  let ended = false;
  const res = {
    destroyed: false,
    writeHead: () => res,
    flushHeaders: () => undefined,
    write: (chunk: string) => writes.push(chunk) > 0,
    end: () => {
      ended = true;
    },
  };
  return { res: res as unknown as ServerResponse, writes, ended: () => ended };
}

describe('SseWriter', () => {
  it('writes frames at once without a delay', () => {
    const r = recordingResponse();
    const clock = new VirtualClock();
    const sse = new SseWriter(
      r.res,
      'data: ',
      () => 0,
      (fn, ms) => void clock.setTimeout(fn, ms),
    );
    sse.send('{"a":1}');
    sse.send('[DONE]');
    sse.end();
    expect(r.writes).toEqual(['data: {"a":1}\n\n', 'data: [DONE]\n\n']);
    expect(r.ended()).toBe(true);
  });

  it('spaces frames by the slow-stream delay, in order, ending last', () => {
    const r = recordingResponse();
    const clock = new VirtualClock();
    const sse = new SseWriter(
      r.res,
      'data:',
      () => 100,
      (fn, ms) => void clock.setTimeout(fn, ms),
    );
    sse.send('1');
    sse.send('2');
    sse.end();
    expect(r.writes).toEqual([]);
    clock.advance(100);
    expect(r.writes).toEqual(['data:1\n\n']);
    clock.advance(100);
    expect(r.writes).toEqual(['data:1\n\n', 'data:2\n\n']);
    expect(r.ended()).toBe(false);
    clock.advance(100);
    expect(r.ended()).toBe(true);
  });
});
