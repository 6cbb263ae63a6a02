interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** A V8 CPU profile (Profiler.stop's `profile`): start and end in µs. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

/** A share of all samples (idle included) and, given the requests served, µs per request. */
export interface ProfileLine {
  name: string;
  share: number;
  usPerRequest?: number;
}

export interface ProfileSummary {
  groups: ProfileLine[];
  functions: ProfileLine[];
  /**
   * Work no request waits for, by callback and including what it calls: timers (a batch's
   * flush, a lease sweep) and setImmediate (undici writes requests from one). Work of this kind
   * costs every request without showing on its path.
   */
  background: ProfileLine[];
}

const GROUPS: [string, RegExp][] = [
  ['gateway (our code)', /packages\/gateway\//],
  ['router (our code)', /packages\/router\//],
  ['zod validation', /node_modules\/.*zod/],
  ['undici (upstream client)', /undici/],
  ['node http server/client', /node:_http|node:http|_http_/],
  [
    'node net/streams',
    /node:net|node:internal\/streams|node:stream|node:internal\/stream_base|node:internal\/net/,
  ],
  ['prom-client', /prom-client/],
  ['(garbage collector)', /^\(garbage collector\)$/],
  ['(idle)', /^\(idle\)$/],
  ['(program)', /^\(program\)$/],
];

/** Node's functions that run timer and setImmediate callbacks. */
const BACKGROUND_RUNNERS = new Set(['listOnTimeout', 'processImmediate']);

/**
 * Self time by area (our code, zod, undici, node http...), the top functions, and the
 * background callbacks; with `requests` (served while profiling), each also in µs per request.
 */
export function summarizeProfile(profile: CpuProfile, requests?: number): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const nameOf = (n: ProfileNode) => {
    const fn = n.callFrame.functionName || '(anonymous)';
    const where = n.callFrame.url.replace(/^.*\/(node_modules|packages)\//, '$1/');
    return n.callFrame.url ? `${fn} ${where}:${n.callFrame.lineNumber + 1}` : fn;
  };
  let total = 0;
  const byGroup = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0) continue;
    total += hits;
    const name = nameOf(n);
    byFn.set(name, (byFn.get(name) ?? 0) + hits);
    const probe = n.callFrame.url || n.callFrame.functionName;
    const group =
      GROUPS.find(([, re]) => re.test(probe))?.[0] ?? 'other (V8 builtins: JSON, strings...)';
    byGroup.set(group, (byGroup.get(group) ?? 0) + hits);
  }
  const inclusive = (n: ProfileNode): number =>
    (n.hitCount ?? 0) + (n.children ?? []).reduce((s, c) => s + inclusive(byId.get(c)!), 0);
  const byCallback = new Map<string, number>();
  for (const n of profile.nodes)
    if (BACKGROUND_RUNNERS.has(n.callFrame.functionName))
      for (const c of n.children ?? []) {
        const child = byId.get(c)!;
        const name = nameOf(child);
        byCallback.set(name, (byCallback.get(name) ?? 0) + inclusive(child));
      }
  const usPerHit = (profile.endTime - profile.startTime) / Math.max(1, total);
  const lines = (m: Map<string, number>, k: number): ProfileLine[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, h]) => ({
        name,
        share: (100 * h) / Math.max(1, total),
        ...(requests ? { usPerRequest: (h * usPerHit) / requests } : {}),
      }));
  return {
    groups: lines(byGroup, 20),
    functions: lines(byFn, Number(process.env.TOPN ?? 15)),
    background: lines(byCallback, 5),
  };
}
