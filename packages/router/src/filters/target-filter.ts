import type { Target } from '../targets/target.js';
import type { RoutingRequest } from '../request/routing-request.js';
import type { Route } from '@bascule/spec';

/** Why a target was dropped before scoring (stable codes for explain output and metrics). */
export type DropCode = 'privacy' | 'deferred' | 'budget' | 'capability' | 'context-length' | 'tier';

export interface Dropped {
  target: string;
  code: DropCode;
  message: string;
}

export interface FilterContext {
  request: RoutingRequest;
  route: Route | undefined;
}

/** A filter keeps or drops each target; it returns the reason when it drops one. */
export interface TargetFilter {
  readonly name: string;
  check(target: Target, ctx: FilterContext): Omit<Dropped, 'target'> | undefined;
}

/** Runs filters in order; a target is dropped by the first filter that rejects it. */
export function applyFilters(
  targets: readonly Target[],
  filters: readonly TargetFilter[],
  ctx: FilterContext,
): { kept: Target[]; dropped: Dropped[] } {
  const kept: Target[] = [];
  const dropped: Dropped[] = [];
  outer: for (const t of targets) {
    for (const f of filters) {
      const d = f.check(t, ctx);
      if (d) {
        dropped.push({ target: t.name, ...d });
        continue outer;
      }
    }
    kept.push(t);
  }
  return { kept, dropped };
}
