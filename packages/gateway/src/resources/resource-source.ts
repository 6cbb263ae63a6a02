import type { Model, Provider, Route } from '@bascule/spec';
import { buildCatalog, type RoutingCatalog } from '@bascule/router';

/** The Models, Routes and Providers the gateway serves, as last seen. */
export interface ResourceSnapshot {
  models: readonly Model[];
  routes: readonly Route[];
  providers: readonly Provider[];
  catalog: RoutingCatalog;
  /** Increases on every change. */
  version: number;
}

/**
 * Where resources come from: a static set (tests, single binaries) or Kubernetes watches.
 * The request path only calls `snapshot()`, which never does I/O.
 */
export interface ResourceSource {
  snapshot(): ResourceSnapshot;
  onChange(listener: () => void): () => void;
}

export interface MutableResourceSource extends ResourceSource {
  /** Replaces the given kinds (others are kept) and notifies listeners. */
  update(next: {
    models?: readonly Model[];
    routes?: readonly Route[];
    providers?: readonly Provider[];
  }): void;
}

export function createStaticResources(initial: {
  models?: readonly Model[];
  routes?: readonly Route[];
  providers?: readonly Provider[];
}): MutableResourceSource {
  let snap = build(initial.models ?? [], initial.routes ?? [], initial.providers ?? [], 1);
  const listeners = new Set<() => void>();
  return {
    snapshot: () => snap,
    onChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    update(next) {
      snap = build(
        next.models ?? snap.models,
        next.routes ?? snap.routes,
        next.providers ?? snap.providers,
        snap.version + 1,
      );
      for (const l of listeners) l();
    },
  };
}

function build(
  models: readonly Model[],
  routes: readonly Route[],
  providers: readonly Provider[],
  version: number,
): ResourceSnapshot {
  return {
    models,
    routes,
    providers,
    version,
    catalog: buildCatalog({ models, routes, providers }),
  };
}
