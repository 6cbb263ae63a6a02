import { EndpointTracker, pickEndpoint, type Endpoint } from '@bascule/gateway';
import type { LoadBalancing } from '@bascule/spec';
import { PREFIX_BLOCK_TOKENS } from './synthetic-shapes.js';
import type { SimReplica } from './sim-replica.js';

/** Characters per token of English text, to turn the gateway's prefixLength into trace blocks. */
const CHARS_PER_TOKEN = 4;

export interface ReplicaPicker {
  /** The replica for a request (with its prompt's block ids, when the trace has them), or none with headroom. */
  pick(replicas: readonly SimReplica[], hashIds?: readonly number[]): SimReplica | undefined;
  acquire(rep: SimReplica): void;
  release(rep: SimReplica): void;
}

/**
 * The gateway's own endpoint picker (`pickEndpoint`: least outstanding, or prefix affinity by
 * consistent hashing with bounded load) over the ready replicas. The gateway hashes the first
 * `prefixLength` characters of the prompt; a trace has block ids instead of text, so the key is
 * the ids of the blocks those characters fall in (4 characters a token, 512 tokens a block).
 */
export function endpointPicker(
  loadBalancing: LoadBalancing,
  o: { maxConcurrency: number; now: () => number },
): ReplicaPicker {
  const tracker = new EndpointTracker({ now: o.now });
  const ids = new Map<SimReplica, string>();
  const idOf = (r: SimReplica) => {
    let id = ids.get(r);
    if (id === undefined) {
      id = `replica-${r.id}`;
      ids.set(r, id);
    }
    return id;
  };
  const blocks = Math.max(
    1,
    Math.ceil(loadBalancing.prefixLength / CHARS_PER_TOKEN / PREFIX_BLOCK_TOKENS),
  );
  let tick = 0;
  return {
    pick(replicas, hashIds) {
      const ready = replicas.filter((r) => r.state === 'ready');
      const endpoints: Endpoint[] = ready.map((r) => ({ id: idOf(r), url: '', ready: true }));
      const prefix = hashIds && hashIds.length > 0 ? hashIds.slice(0, blocks).join(',') : undefined;
      const e = pickEndpoint({
        endpoints,
        tracker,
        maxConcurrency: o.maxConcurrency,
        loadBalancing,
        ...(prefix !== undefined ? { prefix } : {}),
        tick: tick++,
      });
      return e ? ready.find((r) => idOf(r) === e.id) : undefined;
    },
    acquire: (r) => tracker.acquire('model', idOf(r)),
    release: (r) => tracker.release('model', idOf(r)),
  };
}
