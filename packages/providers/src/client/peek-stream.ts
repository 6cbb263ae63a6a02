/**
 * Reads the first item of a stream now (so a failure before the first byte can still be
 * retried) and returns an iterable that replays it followed by the rest. `return()` reaches
 * the source even before iteration starts, so an abandoned stream releases its connection.
 */
export async function peekStream<T>(source: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  let replayed = false;
  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (!replayed) {
        replayed = true;
        return Promise.resolve(first);
      }
      return it.next();
    },
    async return(value?: unknown) {
      replayed = true;
      await it.return?.();
      return { done: true, value: value as T };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
