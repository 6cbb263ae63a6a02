interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface ProfileSummary {
  groups: { name: string; share: number }[];
  functions: { name: string; share: number }[];
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

/** Self time by area (our code, zod, undici, node http...) and the top functions. */
export function summarizeProfile(profile: { nodes: ProfileNode[] }): ProfileSummary {
  let total = 0;
  const byGroup = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0) continue;
    const fn = n.callFrame.functionName || '(anonymous)';
    const where = n.callFrame.url.replace(/^.*\/(node_modules|packages)\//, '$1/');
    const key = n.callFrame.url ? `${fn} ${where}:${n.callFrame.lineNumber + 1}` : fn;
    total += hits;
    byFn.set(key, (byFn.get(key) ?? 0) + hits);
    const probe = n.callFrame.url || fn;
    const group =
      GROUPS.find(([, re]) => re.test(probe))?.[0] ?? 'other (V8 builtins: JSON, strings...)';
    byGroup.set(group, (byGroup.get(group) ?? 0) + hits);
  }
  const share = (m: Map<string, number>, k: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, h]) => ({ name, share: (100 * h) / Math.max(1, total) }));
  return { groups: share(byGroup, 20), functions: share(byFn, Number(process.env.TOPN ?? 15)) };
}
