// A line per Model while they become Ready: redrawn in place on a TTY, printed when it changes
// otherwise. Reads the Models from the API server, as `kubectl get models` would.

export interface ModelView {
  metadata: { name: string; generation?: number };
  spec: { engine?: string; gpus?: string };
  status?: {
    observedGeneration?: number;
    conditions?: { type: string; status: string; reason?: string }[];
    replicas?: { desired?: number; ready?: number };
    endpoints?: { pod?: string }[];
  };
}

export type ModelPhase = 'waiting' | 'ready' | 'zero' | 'failed';

const FAILED = new Set([
  'InsufficientGPU',
  'NoMatchingNodes',
  'InsufficientResources',
  'InvalidSpec',
  'ImagePullError',
  'EngineCrashLooping',
]);

/**
 * Ready, scaled to zero (starts on demand), waiting, or stuck with a reason a person must fix.
 * With `podExists`, a status naming pods that are gone is not believed: after a restart from a
 * state file the Model's status is the last run's until the controller sees the new pods.
 */
export function modelPhase(
  m: ModelView,
  podExists?: (name: string) => boolean,
): { phase: ModelPhase; text: string } {
  const s = m.status;
  const stale = podExists && (s?.endpoints ?? []).some((e) => e.pod && !podExists(e.pod));
  if (!s || s.observedGeneration !== m.metadata.generation || stale)
    return { phase: 'waiting', text: 'waiting for the controller' };
  const ready = s.conditions?.find((c) => c.type === 'Ready');
  const r = s.replicas ?? {};
  // kubectl's and `bascule get models`' words: READY and DESIRED replicas, the Ready reason.
  const counts = `${r.ready ?? 0} ready, ${r.desired ?? 0} desired,`;
  if (ready?.status === 'True')
    return { phase: 'ready', text: `${counts} ${ready.reason ?? 'Serving'}` };
  if (ready?.reason === 'ScaledToZero')
    return { phase: 'zero', text: `${counts} ScaledToZero: starts on the first request` };
  const reason = ready?.reason ?? 'Pending';
  return { phase: FAILED.has(reason) ? 'failed' : 'waiting', text: `${counts} ${reason}` };
}

export function progressLines(
  models: readonly ModelView[],
  podExists?: (name: string) => boolean,
): string[] {
  const width = Math.max(0, ...models.map((m) => m.metadata.name.length));
  const gw = Math.max(0, ...models.map((m) => (m.spec.gpus ?? '').length));
  return models.map((m) => {
    const { phase, text } = modelPhase(m, podExists);
    const mark = phase === 'ready' ? '✔' : phase === 'zero' ? '○' : phase === 'failed' ? '✖' : '…';
    return `  ${mark} ${m.metadata.name.padEnd(width)}  ${(m.spec.engine ?? '').padEnd(4)}  ${(m.spec.gpus ?? '').padEnd(gw)}  ${text}`;
  });
}

/** Writes progress lines: in place on a TTY, only changed lines otherwise. */
export function createProgressWriter(out: NodeJS.WritableStream & { isTTY?: boolean }) {
  let drawn = 0;
  const last = new Map<string, string>();
  return {
    update(lines: string[]) {
      if (out.isTTY) {
        if (drawn > 0) out.write(`\x1b[${drawn}A`);
        for (const l of lines) out.write(`\x1b[2K${l}\n`);
        drawn = lines.length;
        return;
      }
      for (const l of lines) {
        const key = l.trim().split(/\s+/)[1] ?? l;
        if (last.get(key) !== l) out.write(`${l}\n`);
        last.set(key, l);
      }
    },
  };
}

export async function listModels(server: string, namespace = 'default'): Promise<ModelView[]> {
  const res = await fetch(`${server}/apis/bascule.dev/v1alpha1/namespaces/${namespace}/models`, {
    headers: { accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`listing Models: HTTP ${res.status}`);
  const list = (await res.json()) as { items: ModelView[] };
  return list.items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}
