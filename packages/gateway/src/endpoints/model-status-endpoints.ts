import type { ResourceSource } from '../resources/resource-source.js';
import type { Endpoint, EndpointStore } from './endpoint-store.js';

/**
 * Endpoints taken from each Model's `status.endpoints` (written by the controller from the
 * Model's pods), refreshed whenever the resource source changes.
 */
export function createModelStatusEndpointStore(
  resources: ResourceSource,
): EndpointStore & { close(): void } {
  let byModel = new Map<string, readonly Endpoint[]>();
  const listeners = new Set<(model: string) => void>();
  const rebuild = (): void => {
    const next = new Map<string, readonly Endpoint[]>();
    for (const m of resources.snapshot().models) {
      const eps = (m.status?.endpoints ?? []).map((e) => {
        const host = e.ip.includes(':') ? `[${e.ip}]` : e.ip;
        return {
          id: `${host}:${e.port}`,
          url: `http://${host}:${e.port}`,
          ready: e.ready,
          ...(e.adapters ? { adapters: e.adapters } : {}),
        };
      });
      next.set(m.metadata.name, eps);
    }
    const old = byModel;
    byModel = next;
    for (const name of new Set([...old.keys(), ...next.keys()])) {
      if (!sameEndpoints(old.get(name), next.get(name))) for (const l of listeners) l(name);
    }
  };
  rebuild();
  const off = resources.onChange(rebuild);
  return {
    endpoints: (m) => byModel.get(m) ?? [],
    onChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    close: off,
  };
}

function sameEndpoints(
  a: readonly Endpoint[] | undefined,
  b: readonly Endpoint[] | undefined,
): boolean {
  if (!a || !b) return a === b;
  return (
    a.length === b.length &&
    a.every(
      (e, i) =>
        e.id === b[i]!.id &&
        e.ready === b[i]!.ready &&
        (e.adapters ?? []).join(',') === (b[i]!.adapters ?? []).join(','),
    )
  );
}
