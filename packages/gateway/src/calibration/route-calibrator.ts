import {
  thresholdInForce,
  type ComplexityThreshold,
  type ScoreWindow,
  type ThresholdSpec,
} from '@bascule/router';
import {
  scoreWindowKey,
  scoreWindowOf,
  type ScoreWindowStore,
  type WindowEntry,
} from './score-window-store.js';

export interface RouteCalibratorOptions {
  store: ScoreWindowStore;
  /** Scores of different scorers are not comparable: the window is kept per scorer name. */
  scorer: string;
  /** Refresh every Route with news this often (default 250 ms). */
  refreshMs?: number;
  /** Refresh a Route at once (off the request path) when this many entries wait (default 16). */
  flushEvery?: number;
  /** A Route unused this long is forgotten (default 10 min). */
  idleMs?: number;
  /** A failed exchange (the Route keeps its last window plus this replica's own entries). */
  onError?: (err: unknown) => void;
  now?: () => number;
}

/** The Route settings a calibrator needs (a Route spec has them all). */
export interface CalibratedRouteSpec extends ThresholdSpec {
  complexity?: ThresholdSpec['complexity'] & { window?: number };
}

interface RouteWindow {
  spec: CalibratedRouteSpec;
  pending: WindowEntry[];
  entries: WindowEntry[];
  window: ScoreWindow;
  threshold: ComplexityThreshold;
  busy: boolean;
  lastUsed: number;
  lastRefresh: number;
}

/** Recent scores a Route keeps unless its spec says otherwise (the spec's default too). */
export const DEFAULT_SCORE_WINDOW = 2000;

/**
 * The threshold in force for a calibrated Route as the gateways see it, read from the shared
 * window (for `route explain` in the api role, which routes nothing itself).
 */
export async function readThresholdInForce(
  store: ScoreWindowStore,
  routeKey: string,
  scorer: string,
  spec: CalibratedRouteSpec,
): Promise<ComplexityThreshold> {
  if (spec.complexity?.strongShare === undefined) return thresholdInForce(spec);
  const size = spec.complexity.window ?? DEFAULT_SCORE_WINDOW;
  const entries = await store.exchange(scoreWindowKey(routeKey, scorer), [], size);
  return thresholdInForce(spec, scoreWindowOf(entries));
}

/**
 * The gateway's half of calibration by share. The request path calls `threshold` (a map lookup
 * of the value computed at the last refresh) and, once decided, `record` (an array push). In
 * the background, every `refreshMs` or as soon as `flushEvery` entries wait, each Route with
 * news exchanges them with the shared window (ScoreWindowStore: Redis across replicas) and
 * recomputes its threshold with the router's pure thresholdInForce. If the store fails, the
 * Route goes on with its last merged window plus its own entries, so a Redis outage degrades
 * the share to one replica's view instead of stopping it.
 */
export class RouteCalibrator {
  private readonly routes = new Map<string, RouteWindow>();
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly flushEvery: number;
  private readonly refreshMs: number;
  private readonly idleMs: number;

  constructor(private readonly options: RouteCalibratorOptions) {
    this.now = options.now ?? Date.now;
    this.flushEvery = options.flushEvery ?? 16;
    this.refreshMs = options.refreshMs ?? 250;
    this.idleMs = options.idleMs ?? 600_000;
    this.timer = setInterval(() => this.tick(), this.refreshMs);
    this.timer.unref();
  }

  /** The threshold in force for a Route (`key`: namespace/name). Never waits. */
  threshold(key: string, spec: CalibratedRouteSpec): ComplexityThreshold {
    const c = spec.complexity;
    if (c?.strongShare === undefined) return thresholdInForce(spec);
    const r = this.route(key, spec);
    if (r.spec !== spec) {
      // The Route was edited: same window, new settings.
      r.spec = spec;
      r.threshold = thresholdInForce(spec, r.window);
    }
    return r.threshold;
  }

  /** One decision's score and tier, for the Route's window. */
  record(key: string, spec: CalibratedRouteSpec, score: number, complex: boolean): void {
    if (spec.complexity?.strongShare === undefined) return;
    const r = this.route(key, spec);
    r.pending.push({ score, complex });
    if (r.pending.length >= this.flushEvery && !r.busy) setImmediate(() => void this.refresh(key));
  }

  /** Exchanges every Route's news with the store now (tests; shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.routes.keys()].map((k) => this.refresh(k)));
  }

  close(): void {
    clearInterval(this.timer);
  }

  private route(key: string, spec: CalibratedRouteSpec): RouteWindow {
    let r = this.routes.get(key);
    if (!r) {
      const window: ScoreWindow = { sorted: [], complex: 0 };
      r = {
        spec,
        pending: [],
        entries: [],
        window,
        threshold: thresholdInForce(spec, window),
        busy: false,
        lastUsed: 0,
        lastRefresh: -Infinity,
      };
      this.routes.set(key, r);
    }
    r.lastUsed = this.now();
    return r;
  }

  private tick(): void {
    const now = this.now();
    for (const [key, r] of this.routes) {
      if (now - r.lastUsed > this.idleMs && r.pending.length === 0) this.routes.delete(key);
      // Entries waiting, or other replicas' entries to pick up while this one is in use.
      else if (
        r.pending.length > 0 ||
        (r.lastUsed > r.lastRefresh && now - r.lastRefresh >= 4 * this.refreshMs)
      )
        void this.refresh(key);
    }
  }

  private async refresh(key: string): Promise<void> {
    const r = this.routes.get(key);
    if (!r || r.busy) return;
    r.busy = true;
    const size = r.spec.complexity?.window ?? DEFAULT_SCORE_WINDOW;
    const sent = r.pending;
    r.pending = [];
    try {
      r.entries = await this.options.store.exchange(
        scoreWindowKey(key, this.options.scorer),
        sent,
        size,
      );
    } catch (err) {
      this.options.onError?.(err);
      r.entries = [...r.entries, ...sent].slice(-size);
    } finally {
      r.busy = false;
      r.lastRefresh = this.now();
    }
    r.window = scoreWindowOf(r.entries);
    r.threshold = thresholdInForce(r.spec, r.window);
  }
}
