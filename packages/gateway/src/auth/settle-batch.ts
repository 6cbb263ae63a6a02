/** One request's settle: what its admission reserved and what it really cost. */
export interface Settle {
  id: string;
  /** Budget period bucket ('' when the key has no budget). */
  period: string;
  /** USD reserved at admission. */
  est: number;
  costUSD: number;
  tokens: number;
  /** Minute bucket of the admission (its tpm count). */
  minute: string;
  /** rpm slots of a lease given back unused (counted in `minute`); 0 for a request's settle. */
  slots?: number;
}

interface Group {
  id: string;
  period: string;
  minute: string;
  est: number;
  cost: number;
  tokens: number;
  top: number;
  slots: number;
}

/**
 * Settles waiting for one AUTH_SCRIPT call, summed per key, period and minute: the script
 * adds the sums (the same totals as one call each) and raises the key's largest cost seen by the
 * largest single cost among them.
 */
export class SettleBatch {
  private groups = new Map<string, Group>();

  get size(): number {
    return this.groups.size;
  }

  add(s: Settle): void {
    // A number Redis cannot take (an absurd token count read as Infinity) must not fail the call.
    const est = finite(s.est);
    const cost = finite(s.costUSD);
    const tokens = finite(s.tokens);
    const k = `${s.id}\n${s.period}\n${s.minute}`;
    const g = this.groups.get(k);
    if (!g) {
      this.groups.set(k, {
        id: s.id,
        period: s.period,
        minute: s.minute,
        est,
        cost,
        tokens,
        top: cost,
        slots: s.slots ?? 0,
      });
      return;
    }
    g.est += est;
    g.cost += cost;
    g.tokens += tokens;
    g.slots += s.slots ?? 0;
    if (cost > g.top) g.top = cost;
  }

  /** The script's ARGV groups (after authHead), emptying the batch. */
  take(): string[] {
    const args: string[] = [];
    for (const g of this.groups.values())
      args.push(
        g.id,
        g.period,
        String(g.est),
        String(g.cost),
        String(g.tokens),
        g.minute,
        String(g.top),
        String(g.slots),
      );
    this.groups = new Map();
    return args;
  }
}

function finite(n: number): number {
  return Number.isFinite(n) ? n : 0;
}
