import type { ComplexityScorer } from '@bascule/router';
import type { LearningScorerFactory } from './learning-scorer.js';
import type { WeightsStore } from './weights-store.js';

export interface LearnedScorers {
  /**
   * The Route's learned scorer, from memory: its latest weights, or the shipped prior before the
   * first example (a learning Route always scores with the learner's scale). Hot path.
   */
  scorerFor(route: string): ComplexityScorer;
  /** The version in memory per Route (0: the shipped prior). */
  versions(): ReadonlyMap<string, number>;
  /** Polls the stored versions of these Routes once and loads any that changed. */
  refresh(routes: readonly string[]): Promise<void>;
  close(): void;
}

export interface LearnedScorersOptions {
  store: WeightsStore;
  factory: LearningScorerFactory;
  /** The Routes with `learning`, as `{ns}/{name}` (read at every poll). */
  routes: () => readonly string[];
  /** Poll period (default 1 s). */
  pollMs?: number;
  onError?: (err: unknown) => void;
}

/**
 * Each gateway's copy of the Routes' online weights. A background poll reads one number per
 * learning Route (the stored version) and loads the weights only when it changed, so every
 * replica follows the shared state within `pollMs` and the request path only reads memory.
 */
export function createLearnedScorers(options: LearnedScorersOptions): LearnedScorers {
  const loaded = new Map<string, { version: number; scorer: ComplexityScorer }>();
  const versions = new Map<string, number>();
  let prior: ComplexityScorer | undefined;
  let busy = false;

  async function refresh(routes: readonly string[]): Promise<void> {
    for (const route of routes) {
      const v = await options.store.version(route);
      if (v === (versions.get(route) ?? 0)) continue;
      const cur = await options.store.current(route);
      if (!cur) continue;
      loaded.set(route, {
        version: cur.version,
        scorer: options.factory(cur.state ?? undefined),
      });
      versions.set(route, cur.version);
    }
  }

  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    refresh(options.routes())
      .catch((err: unknown) => options.onError?.(err))
      .finally(() => (busy = false));
  }, options.pollMs ?? 1000);
  timer.unref();

  return {
    scorerFor: (route) => loaded.get(route)?.scorer ?? (prior ??= options.factory()),
    versions: () => versions,
    refresh,
    close: () => clearInterval(timer),
  };
}
