/** An adapter a replica should serve: its name and the path the engine loads it from. */
export interface WantedAdapter {
  name: string;
  ref: string;
}

/** An adapter a replica's engine lists in /v1/models: its name and root (the loaded path). */
export interface LoadedAdapter {
  name: string;
  path: string;
}

export interface AdapterSync {
  /** Adapters to unload first (no longer declared, or declared with another path). */
  unload: string[];
  /** Adapters to load (declared and not loaded, or reloaded from a new path). */
  load: WantedAdapter[];
}

/**
 * What to do on one replica so it serves exactly the declared adapters (pure). An adapter
 * loaded from a path other than the declared one is unloaded and loaded again: vLLM cannot
 * load a name twice.
 */
export function planAdapterSync(
  wanted: readonly WantedAdapter[],
  loaded: readonly LoadedAdapter[],
): AdapterSync {
  const want = new Map(wanted.map((w) => [w.name, w]));
  const have = new Map(loaded.map((l) => [l.name, l]));
  const unload = loaded
    .filter((l) => want.get(l.name)?.ref !== l.path)
    .map((l) => l.name)
    .sort();
  const load = wanted
    .filter((w) => have.get(w.name)?.path !== w.ref)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { unload, load };
}
