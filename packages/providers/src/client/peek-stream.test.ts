import { describe, expect, it } from 'vitest';
import { peekStream } from './peek-stream.js';

function source(items: number[], log: string[]): AsyncIterable<number> {
  return (async function* () {
    try {
      for (const i of items) {
        await Promise.resolve();
        log.push(`yield ${i}`);
        yield i;
      }
    } finally {
      log.push('released');
    }
  })();
}

describe('peekStream', () => {
  it('reads the first item eagerly and replays it', async () => {
    const log: string[] = [];
    const s = await peekStream(source([1, 2, 3], log));
    expect(log).toEqual(['yield 1']);
    const out: number[] = [];
    for await (const x of s) out.push(x);
    expect(out).toEqual([1, 2, 3]);
    expect(log.at(-1)).toBe('released');
  });

  it('releases the source when abandoned before iteration starts', async () => {
    const log: string[] = [];
    const s = await peekStream(source([1, 2], log));
    await s[Symbol.asyncIterator]().return?.();
    expect(log).toEqual(['yield 1', 'released']);
  });

  it('releases the source on break', async () => {
    const log: string[] = [];
    for await (const x of await peekStream(source([1, 2, 3], log))) if (x === 2) break;
    expect(log).toEqual(['yield 1', 'yield 2', 'released']);
  });
});
