import type { ModelEndpoint } from '@bascule/spec';
import type { Logger } from 'pino';
import type { EngineLoraClient } from './engine-lora-client.js';
import { planAdapterSync, type WantedAdapter } from './plan-adapter-sync.js';

function baseUrl(e: ModelEndpoint): string {
  const host = e.ip.includes(':') ? `[${e.ip}]` : e.ip;
  return `http://${host}:${e.port}`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Brings every ready replica to the declared adapters through the engine's runtime API
 * (replicas in parallel, one replica's changes in order: unloads, then loads) and returns the
 * endpoints with what each now has loaded. A replica that cannot be read keeps the adapters it
 * was last seen with; one that is not ready has none listed (it is not routable). A failed
 * load is logged and the adapter left out of that replica's list, so the gateway does not send
 * it requests for the adapter; the next reconcile tries again.
 */
export async function syncAdapters(
  endpoints: readonly ModelEndpoint[],
  wanted: readonly WantedAdapter[],
  client: EngineLoraClient,
  log: Logger,
  previous: readonly ModelEndpoint[] = [],
): Promise<ModelEndpoint[]> {
  return Promise.all(
    endpoints.map(async (e): Promise<ModelEndpoint> => {
      const { adapters: _stale, ...rest } = e;
      if (!e.ready) return rest;
      const url = baseUrl(e);
      const before = previous.find((p) => p.pod === e.pod && p.ip === e.ip)?.adapters;
      let loaded;
      try {
        loaded = await client.list(url);
      } catch (err) {
        log.warn({ pod: e.pod, err: errorText(err) }, 'could not read the adapters of a replica');
        return before ? { ...rest, adapters: before } : rest;
      }
      const plan = planAdapterSync(wanted, loaded);
      const have = new Set(loaded.map((l) => l.name));
      for (const name of plan.unload) {
        try {
          await client.unload(url, name);
          have.delete(name);
          log.info({ pod: e.pod, adapter: name }, 'unloaded LoRA adapter');
        } catch (err) {
          log.warn({ pod: e.pod, adapter: name, err: errorText(err) }, 'adapter unload failed');
        }
      }
      for (const a of plan.load) {
        if (have.has(a.name)) continue; // its unload failed: it still holds the name
        try {
          await client.load(url, a.name, a.ref);
          have.add(a.name);
          log.info({ pod: e.pod, adapter: a.name, path: a.ref }, 'loaded LoRA adapter');
        } catch (err) {
          log.warn({ pod: e.pod, adapter: a.name, err: errorText(err) }, 'adapter load failed');
        }
      }
      return { ...rest, adapters: [...have].sort() };
    }),
  );
}
