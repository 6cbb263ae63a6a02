/**
 * A memo of the status each object was last given by this replica. The informer delivers a
 * written status some time after the write; until it does, reconciles compare against the memo,
 * so an unchanged status is not written again and a stale cache never undoes a write.
 */
export class StatusMemo<S> {
  private readonly written = new Map<string, S>();

  /** `equal` decides whether two statuses say the same thing. */
  constructor(private readonly equal: (a: S | undefined, b: S | undefined) => boolean) {}

  /** What the object's status is as far as this replica knows: the memo, else the cache's. */
  current(key: string, cached: S | undefined): S | undefined {
    return this.written.has(key) ? this.written.get(key) : cached;
  }

  /** Whether a status is remembered for the key. */
  has(key: string): boolean {
    return this.written.has(key);
  }

  /** The informer delivered a newer object (or it is gone): trust the cache again. */
  forget(key: string): void {
    this.written.delete(key);
  }

  /**
   * Writes `next` unless it equals `previous` (what `current` returned), remembering it after
   * a successful write. Returns whether it wrote.
   */
  async write(
    key: string,
    previous: S | undefined,
    next: S,
    write: (status: S) => Promise<unknown>,
  ): Promise<boolean> {
    if (this.equal(previous, next)) return false;
    await write(next);
    this.written.set(key, next);
    return true;
  }
}
