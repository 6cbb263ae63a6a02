import type { RunningEngine } from '@bascule/engine-sim';

/** Changes an engine-sim's faults at run time (POST /admin/faults). */
export async function setEngineFaults(
  engine: RunningEngine,
  faults: Record<string, unknown>,
): Promise<void> {
  const r = await fetch(`${engine.url}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!r.ok) throw new Error(`engine-sim faults: ${r.status} ${await r.text()}`);
}
