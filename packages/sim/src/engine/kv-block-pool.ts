/**
 * The KV cache as vLLM V1 keeps it (vllm/v1/core/block_pool.py, kv_cache_utils.py): a fixed
 * number of blocks, each with a reference count and, once it is full, the hash of its tokens.
 * Blocks nobody references sit in one free queue in LRU order: allocation takes the head (and
 * evicts the hash it held), freed blocks join the tail, and a prefix-cache hit on a free block
 * takes it out of the queue again. Every operation is O(1) per block (a doubly linked list in
 * typed arrays and an open-addressing hash table from hash to block), so a replay of tens of thousands of requests
 * never walks the whole pool.
 */
export class KvBlockPool {
  readonly numBlocks: number;
  private readonly refs: Int32Array;
  /** The full hash of each cached block (0: not cached; hashes are never 0). */
  private readonly hashes: Float64Array;
  /** Home slot in the table of each cached block's hash. */
  private readonly home: Int32Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  /** Open-addressing table (linear probing) from hash to block + 1; 0 is empty. */
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
    // zero-filled arrays cost nothing to create: a replay makes many replicas
    this.refs = new Int32Array(numBlocks);
    this.hashes = new Float64Array(numBlocks);
    this.home = new Int32Array(numBlocks);
    this.prev = new Int32Array(numBlocks);
    this.next = new Int32Array(numBlocks);
    let size = 2;
    while (size < numBlocks * 4) size *= 2;
    this.table = new Int32Array(size);
    this.mask = size - 1;
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
    for (let i = (hash >>> 0) & this.mask; ; i = (i + 1) & this.mask) {
      const e = this.table[i]!;
      if (e === 0) return undefined;
      if (this.hashes[e - 1] === hash) return e - 1;
    }
  }

  /** Whether a cached block is unreferenced (taking it costs one free block). */
  isFree(block: number): boolean {
    return this.refs[block] === 0;
  }

  /** Takes a reference on a cached block (a prefix-cache hit). */
  touch(block: number): void {
    if (this.refs[block] === 0) this.unlink(block);
    this.refs[block]! += 1;
  }

  /** Takes the least recently freed block, evicting the hash it held. Caller checks freeBlocks. */
  allocate(): number {
    if (this.fresh < this.numBlocks) {
      this.refs[this.fresh] = 1;
      return this.fresh++;
    }
    const b = this.head;
    if (b < 0) throw new RangeError('KV block pool is exhausted');
    this.unlink(b);
    if (this.hashes[b] !== 0) this.evict(b);
    this.refs[b] = 1;
    return b;
  }

  /** Marks a full block's tokens (no-op when that hash already has a block, as in vLLM). */
  cache(block: number, hash: number): void {
    if (this.hashes[block] !== 0) return;
    let i = (hash >>> 0) & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const e = this.table[i]!;
      if (e === 0) break;
      if (this.hashes[e - 1] === hash) return;
    }
    this.hashes[block] = hash;
    this.home[block] = (hash >>> 0) & this.mask;
    this.table[i] = block + 1;
  }

  /**
   * Drops one reference on each block; blocks nobody holds join the free queue's tail. Pass a
   * sequence's blocks last-first (as vLLM frees them) so its tail blocks are evicted first.
   */
  release(blocks: readonly number[]): void {
    for (let i = blocks.length - 1; i >= 0; i--) {
      const b = blocks[i]!;
      this.refs[b]! -= 1;
      if (this.refs[b] === 0) this.pushTail(b);
    }
  }

  /** Removes a block's hash from the table (backward-shift deletion keeps probes short). */
  private evict(block: number): void {
    this.hashes[block] = 0;
    const mask = this.mask;
    const table = this.table;
    let i = this.home[block]!;
    while (table[i] !== block + 1) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const e = table[j]!;
      if (e === 0) break;
      const home = this.home[e - 1]!;
      // move e back into the hole at i unless its home lies cyclically in (i, j]
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        table[i] = e;
        i = j;
      }
    }
    table[i] = 0;
  }

  private pushTail(b: number): void {
    this.prev[b] = this.tail;
    this.next[b] = -1;
    if (this.tail >= 0) this.next[this.tail] = b;
    else this.head = b;
    this.tail = b;
    this.queued += 1;
  }

  private unlink(b: number): void {
    const p = this.prev[b]!;
    const n = this.next[b]!;
    if (p >= 0) this.next[p] = n;
    else this.head = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail = p;
    this.prev[b] = -1;
    this.next[b] = -1;
    this.queued -= 1;
  }
}
