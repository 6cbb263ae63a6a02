/**
 * Lines per second of each batch, as this worker recorded them over the last `windowS` seconds
 * (per-second buckets: bounded memory). At most `maxBatches` batches are kept (the least recently
 * active is dropped), so a metric labelled by batch stays a bounded set.
 */
export class BatchLineRate {
  private readonly batches = new Map<string, { buckets: number[]; seconds: number[] }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly windowS = 60,
    private readonly maxBatches = 50,
  ) {}

  /** One line of `batch` recorded now. */
  record(batch: string): void {
    const sec = Math.floor(this.now() / 1000);
    let b = this.batches.get(batch);
    if (b)
      this.batches.delete(batch); // re-inserted last: the map is in activity order
    else {
      b = {
        buckets: new Array<number>(this.windowS).fill(0),
        seconds: new Array<number>(this.windowS).fill(-1),
      };
      if (this.batches.size >= this.maxBatches)
        this.batches.delete(this.batches.keys().next().value!);
    }
    this.batches.set(batch, b);
    const i = sec % this.windowS;
    if (b.seconds[i] !== sec) {
      b.seconds[i] = sec;
      b.buckets[i] = 0;
    }
    b.buckets[i]!++;
  }

  /** Lines/s of each batch active in the window; batches idle for a whole window are dropped. */
  rates(): Map<string, number> {
    const now = Math.floor(this.now() / 1000);
    const out = new Map<string, number>();
    for (const [id, b] of this.batches) {
      let n = 0;
      for (let i = 0; i < this.windowS; i++)
        if (b.seconds[i]! > now - this.windowS) n += b.buckets[i]!;
      if (n === 0) this.batches.delete(id);
      else out.set(id, n / this.windowS);
    }
    return out;
  }
}
