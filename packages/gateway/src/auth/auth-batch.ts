import { SettleBatch, type Settle } from './settle-batch.js';

/** The time buckets of one turn's admissions (UTC): `YYYY-MM-DDTHH:MM`, `YYYY-MM-DD`, `YYYY-MM`. */
export interface Buckets {
  minute: string;
  day: string;
  month: string;
}

/** One request's admission reply from AUTH_SCRIPT, the instant and buckets it was admitted in. */
export interface AdmitReply {
  reply: string[];
  at: Date;
  buckets: Buckets;
}

interface Waiting {
  key: string;
  mode: string;
  want: number;
  resolve: (r: AdmitReply) => void;
  reject: (err: unknown) => void;
}

/** How long a settle may wait for an admission to ride with before it is sent alone. */
export const SETTLE_DELAY_MS = 100;

/**
 * The key store's writes, batched (AUTH_SCRIPT, one call): the admissions asked for in one turn
 * of the event loop go together when the turn ends (setImmediate), and take along every settle
 * made before them. A settle with no admission to ride with is sent alone after SETTLE_DELAY_MS.
 * So under load there is one write to Redis per turn, not two per request, and a request is
 * still admitted after every settle made before it (a client's next request sees its last
 * one's spend). `run(keys, args)` is the Redis call (injected); `now` the clock.
 */
export class AuthBatch {
  private waiting: Waiting[] = [];
  private readonly settles = new SettleBatch();
  private immediate = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly sending = new Set<Promise<unknown>>();

  constructor(
    private readonly run: (keys: string[], args: string[]) => Promise<unknown>,
    private readonly head: string,
    private readonly indexKey: string,
    private readonly now: () => number,
  ) {}

  /** Admits one request under the record `key`, taking up to `want` admissions (a lease). */
  admit(key: string, mode: string, want = 1): Promise<AdmitReply> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ key, mode, want, resolve, reject });
      if (!this.immediate) {
        this.immediate = true;
        setImmediate(() => this.send());
      }
    });
  }

  /** A settle that failed to reach Redis is lost: its reservation stays held (errs safe). */
  settle(s: Settle): void {
    this.settles.add(s);
    if (!this.immediate && !this.timer) this.timer = setTimeout(() => this.send(), SETTLE_DELAY_MS);
  }

  /** Sends what waits now and resolves once every call so far has been answered. */
  async drain(): Promise<void> {
    this.send();
    await Promise.all(this.sending);
  }

  private send(): void {
    this.immediate = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0 && this.settles.size === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    const at = new Date(this.now());
    const iso = at.toISOString();
    const buckets = { minute: iso.slice(0, 16), day: iso.slice(0, 10), month: iso.slice(0, 7) };
    const settled = this.settles.take();
    const keys = [this.indexKey];
    const args = [
      this.head,
      buckets.minute,
      buckets.day,
      buckets.month,
      String(Math.max(1, 60 - at.getUTCSeconds())),
      String(settled.length),
      ...settled,
    ];
    for (const w of batch) {
      keys.push(w.key);
      args.push(w.mode, String(w.want));
    }
    const call = this.run(keys, args).then(
      (replies) => {
        const list = replies as string[][];
        for (let i = 0; i < batch.length; i++) batch[i]!.resolve({ reply: list[i]!, at, buckets });
      },
      (err: unknown) => {
        for (const w of batch) w.reject(err);
      },
    );
    this.sending.add(call);
    void call.then(() => this.sending.delete(call));
  }
}
