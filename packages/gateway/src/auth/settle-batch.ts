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
}

interface Group {
  id: string;
  period: string;
  minute: string;
  est: number;
  cost: number;
  tokens: number;
  top: number;
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
    s = { ...s, est: finite(s.est), costUSD: finite(s.costUSD), tokens: finite(s.tokens) };
    const k = `${s.id}\n${s.period}\n${s.minute}`;
    const g = this.groups.get(k);
    if (!g) {
      this.groups.set(k, {
        id: s.id,
        period: s.period,
        minute: s.minute,
        est: s.est,
        cost: s.costUSD,
        tokens: s.tokens,
        top: s.costUSD,
      });
      return;
    }
    g.est += s.est;
    g.cost += s.costUSD;
    g.tokens += s.tokens;
    if (s.costUSD > g.top) g.top = s.costUSD;
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
      );
    this.groups = new Map();
    return args;
  }
}

function finite(n: number): number {
  return Number.isFinite(n) ? n : 0;
}
