/**
 * Whether this replica may act: open while it holds the Lease (or always, without leader
 * election), closed otherwise. Workers wait on the gate; informers never do.
 */
export class LeaderGate {
  private leading = false;
  private closedForGood = false;
  private waiters: (() => void)[] = [];

  /** True while leading and not shutting down. */
  isOpen(): boolean {
    return this.leading && !this.closedForGood;
  }

  isLeading(): boolean {
    return this.leading;
  }

  /** Returns whether the value changed. */
  set(leading: boolean): boolean {
    if (leading === this.leading) return false;
    this.leading = leading;
    if (leading) this.release();
    return true;
  }

  /** Resolves when leading, or at once when shutting down. */
  whenOpen(): Promise<void> {
    if (this.leading || this.closedForGood) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Shutting down: every waiter is released and never waits again. */
  shutDown(): void {
    this.closedForGood = true;
    this.release();
  }

  get isShutDown(): boolean {
    return this.closedForGood;
  }

  private release(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
