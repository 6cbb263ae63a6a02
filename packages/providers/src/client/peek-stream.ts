/**
 * Reads the first item of a stream now (so a failure before the first byte can still be
 * retried) and returns an iterable that replays it followed by the rest.
 */
export async function peekStream<T>(source: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  async function* replay(): AsyncGenerator<T> {
    try {
      if (first.done) return;
      yield first.value;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  }
  return replay();
}
