import type { ModelEndpoint } from '@bascule/spec';
import type { PodFacts } from './pod-facts.js';

/** Serving endpoints of a Model: its pods that have an IP and are not being deleted, by name. */
export function modelEndpoints(pods: readonly PodFacts[]): ModelEndpoint[] {
  return pods
    .filter((p) => p.ip && p.port !== undefined && !p.terminating && p.phase !== 'Failed')
    .map((p) => ({
      pod: p.name,
      ip: p.ip!,
      port: p.port!,
      ready: p.ready,
      ...(p.node ? { node: p.node } : {}),
      ...(p.startAdapters ? { adapters: p.startAdapters } : {}),
    }))
    .sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
}
