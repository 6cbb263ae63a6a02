/**
 * The KV cache as vLLM V1 keeps it (vllm/v1/core/block_pool.py, kv_cache_utils.py): a fixed
 * number of blocks, each with a reference count and, once it is full, the hash of its tokens.
 * Blocks nobody references sit in one free queue in LRU order: allocation takes the head (and
 * evicts the hash it held), freed blocks join the tail, and a prefix-cache hit on a free block
 * takes it out of the queue again. Every operation is O(1) per block, so a replay of tens of
 * thousands of requests never walks the whole pool: the queue is a doubly linked list and the
 * cache an open-addressing hash table, both in typed arrays laid out so that one operation
 * touches few cache lines (the replay does one per 16 tokens of every prompt).
 */
export class KvBlockPool {
  readonly numBlocks: number;
  /** Per block, 4 ints: reference count, previous and next in the free queue, table slot + 1. */
  private readonly rec: Int32Array;
  /** The full hash of each cached block. */
  private readonly hashes: Float64Array;
  /** Linear-probing table, 2 ints a slot: the hash's low 32 bits, block + 1 (0: empty). */
  private readonly table: Int32Array;
  private readonly mask: number;
  /** Blocks [fresh, numBlocks) were never used: the head of the free queue, in order. */
  private fresh = 0;
  /** The rest of the free queue: blocks freed since, oldest first. */
  private head = -1;
  private tail = -1;
  private queued = 0;

  constructor(numBlocks: number) {
    if (!(Number.isInteger(numBlocks) && numBlocks >= 1))
      throw new RangeError(`numBlocks must be an integer >= 1 (got ${numBlocks})`);
    this.numBlocks = numBlocks;
    // zero-filled arrays cost nothing to create
    this.rec = new Int32Array(numBlocks * 4);
    this.hashes = new Float64Array(numBlocks);
    let slots = 2;
    while (slots < numBlocks * 4) slots *= 2;
    this.table = new Int32Array(slots * 2);
    this.mask = slots - 1;
  }

  /** Blocks that can be allocated: unreferenced ones, cached or not (vLLM counts both as free). */
  get freeBlocks(): number {
    return this.numBlocks - this.fresh + this.queued;
  }

  /** Blocks some running sequence references. */
  get usedBlocks(): number {
    return this.fresh - this.queued;
  }

  /** The block holding these tokens, if it is still cached. */
  lookup(hash: number): number | undefined {
    const key = hash | 0;
    const t = this.table;
    for (let i = key & this.mask; ; i = (i + 1) & this.mask) {
      const e = t[2 * i + 1]!;
      if (e === 0) return undefined;
      if (t[2 * i] === key && this.hashes[e - 1] === hash) return e - 1;
    }
  }

  /** Whether a cached block is unreferenced (taking it costs one free block). */
  isFree(block: number): boolean {
    return this.rec[4 * block] === 0;
  }

  /** Takes a reference on a cached block (a prefix-cache hit). */
  touch(block: number): void {
    if (this.rec[4 * block] === 0) this.unlink(block);
    this.rec[4 * block]! += 1;
  }

  /** Takes the least recently freed block, evicting the hash it held. Caller checks freeBlocks. */
  allocate(): number {
    if (this.fresh < this.numBlocks) {
      this.rec[4 * this.fresh] = 1;
      return this.fresh++;
    }
    const b = this.head;
    if (b < 0) throw new RangeError('KV block pool is exhausted');
    this.unlink(b);
    if (this.rec[4 * b + 3] !== 0) this.evict(b);
    this.rec[4 * b] = 1;
    return b;
  }

  /** Marks a full block's tokens (no-op when that hash already has a block, as in vLLM). */
  cache(block: number, hash: number): void {
    if (this.rec[4 * block + 3] !== 0) return;
    const key = hash | 0;
    const t = this.table;
    let i = key & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const e = t[2 * i + 1]!;
      if (e === 0) break;
      if (t[2 * i] === key && this.hashes[e - 1] === hash) return;
    }
    t[2 * i] = key;
    t[2 * i + 1] = block + 1;
    this.rec[4 * block + 3] = i + 1;
    this.hashes[block] = hash;
  }

  /**
   * Drops one reference on each block; blocks nobody holds join the free queue's tail. Pass a
   * sequence's blocks last-first (as vLLM frees them) so its tail blocks are evicted first.
   */
  release(blocks: readonly number[]): void {
    for (let i = blocks.length - 1; i >= 0; i--) {
      const b = blocks[i]!;
      if ((this.rec[4 * b]! -= 1) === 0) this.pushTail(b);
    }
  }

  /** Removes a block's hash from the table (backward-shift deletion keeps probes short). */
  private evict(block: number): void {
    const t = this.table;
    const mask = this.mask;
    let i = this.rec[4 * block + 3]! - 1;
    this.rec[4 * block + 3] = 0;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const e = t[2 * j + 1]!;
      if (e === 0) break;
      const home = t[2 * j]! & mask;
      // move e back into the hole at i unless its home lies cyclically in (i, j]
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        t[2 * i] = t[2 * j]!;
        t[2 * i + 1] = e;
        this.rec[4 * (e - 1) + 3] = i + 1;
        i = j;
      }
    }
    t[2 * i] = 0;
    t[2 * i + 1] = 0;
  }

  private pushTail(b: number): void {
    const r = this.rec;
    r[4 * b + 1] = this.tail;
    r[4 * b + 2] = -1;
    if (this.tail >= 0) r[4 * this.tail + 2] = b;
    else this.head = b;
    this.tail = b;
    this.queued += 1;
  }

  private unlink(b: number): void {
    const r = this.rec;
    const p = r[4 * b + 1]!;
    const n = r[4 * b + 2]!;
    if (p >= 0) r[4 * p + 2] = n;
    else this.head = n;
    if (n >= 0) r[4 * n + 1] = p;
    else this.tail = p;
    this.queued -= 1;
  }
}
