// Benchmark: kube-sim's API server at scale on this machine.
//  - list latency (HTTP, JSON and Table) and memory with 1,000 nodes and 10,000 pods;
//  - delay from a write (HTTP PATCH) to its watch event, with 100 concurrent HTTP watchers.
//   pnpm exec tsx test/bench/kube-sim-scale.ts [nodes=1000] [pods=10000] [watchers=100] [writes=200]
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { createStore, startApiServer } from '@bascule/kube-sim';

const nodeCount = Number(process.argv[2] ?? 1000);
const podCount = Number(process.argv[3] ?? 10_000);
const watcherCount = Number(process.argv[4] ?? 100);
const writeCount = Number(process.argv[5] ?? 200);
const DEADLINE_MS = 120_000;
const started = Date.now();

const mib = (n: number): number => Math.round((n / 1024 / 1024) * 10) / 10;
const gc = (globalThis as { gc?: () => void }).gc;
const memory = (): { heapMiB: number; rssMiB: number } => {
  gc?.();
  const m = process.memoryUsage();
  return { heapMiB: mib(m.heapUsed), rssMiB: mib(m.rss) };
};
function percentiles(samples: number[]): {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
} {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number =>
    Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]! * 100) / 100;
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: Math.round(s[s.length - 1]! * 100) / 100,
    n: s.length,
  };
}

const NODES = { group: '', version: 'v1', resource: 'nodes' };
const PODS = { group: '', version: 'v1', resource: 'pods' };
const store = createStore({ historySize: 50_000 });
const before = memory();
for (let i = 0; i < nodeCount; i++) {
  store.create(NODES, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: `node-${i}`,
      labels: {
        'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
        'nvidia.com/gpu.count': '8',
        'kubernetes.io/hostname': `node-${i}`,
      },
    },
    spec: { taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] },
    status: {
      capacity: { cpu: '96', memory: '1Ti', 'nvidia.com/gpu': '8', pods: '110' },
      allocatable: { cpu: '95', memory: '1000Gi', 'nvidia.com/gpu': '8', pods: '110' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
      addresses: [{ type: 'InternalIP', address: `10.0.${Math.floor(i / 256)}.${i % 256}` }],
      // every field the API server requires of a Node's nodeInfo (kube-sim validates them)
      nodeInfo: {
        machineID: `sim${i.toString(16).padStart(29, '0')}`,
        systemUUID: `00000000-0000-0000-0000-${i.toString(16).padStart(12, '0')}`,
        bootID: `00000000-0000-0000-0001-${i.toString(16).padStart(12, '0')}`,
        kubeletVersion: 'v1.32.0',
        kubeProxyVersion: 'v1.32.0',
        osImage: 'kube-sim',
        kernelVersion: '6.1',
        containerRuntimeVersion: 'sim://1',
        architecture: 'amd64',
        operatingSystem: 'linux',
      },
    },
  });
}
for (let i = 0; i < podCount; i++) {
  const ns = i % 10 === 0 ? 'kube-system' : 'default';
  store.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `pod-${i}`,
      namespace: ns,
      labels: { app: `app-${i % 50}`, 'pod-template-hash': 'abc123' },
    },
    spec: {
      nodeName: `node-${i % nodeCount}`,
      containers: [
        {
          name: 'vllm',
          image: 'vllm/vllm-openai:v0.8.5',
          args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct', '--port', '8000'],
          ports: [{ containerPort: 8000, name: 'http', protocol: 'TCP' }],
          resources: {
            requests: { cpu: '4', memory: '32Gi', 'nvidia.com/gpu': '1' },
            limits: { 'nvidia.com/gpu': '1' },
          },
          readinessProbe: { httpGet: { path: '/health', port: 8000 }, periodSeconds: 5 },
        },
      ],
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    },
  });
}
const loaded = memory();
const api = await startApiServer({ store, watchTimeoutSeconds: 600 });

function get(path: string, accept = 'application/json'): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { headers: { Accept: accept } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve({ ms: performance.now() - t0, bytes })
          : reject(new Error(`${path}: ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const cases: Array<[string, string, string?]> = [
  ['all pods (JSON)', '/api/v1/pods'],
  ['all pods (Table, kubectl get)', '/api/v1/pods', TABLE],
  ['pods in one namespace, limit=500', '/api/v1/namespaces/default/pods?limit=500'],
  ['pods by label (app=app-7)', '/api/v1/pods?labelSelector=app%3Dapp-7'],
  ['pods on one node (fieldSelector)', '/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-7'],
  ['all nodes (JSON)', '/api/v1/nodes'],
];
const listRows: Array<Record<string, unknown>> = [];
for (const [label, path, accept] of cases) {
  await get(path, accept);
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 10; i++) {
    const r = await get(path, accept);
    samples.push(r.ms);
    bytes = r.bytes;
  }
  listRows.push({ case: label, bytes, ...percentiles(samples) });
}

// 100 watchers, then one write at a time; each write's delay is measured at every watcher.
const watchers: Array<{ seen: Map<string, number>; close(): void }> = [];
const rvNow = store.currentResourceVersion();
await Promise.all(
  Array.from(
    { length: watcherCount },
    () =>
      new Promise<void>((resolve, reject) => {
        const seen = new Map<string, number>();
        const req = request(
          `${api.url}/api/v1/namespaces/default/pods?watch=1&resourceVersion=${rvNow}`,
          (res) => {
            let buffer = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              const now = performance.now();
              buffer += chunk;
              let nl = buffer.indexOf('\n');
              while (nl >= 0) {
                const line = buffer.slice(0, nl);
                buffer = buffer.slice(nl + 1);
                const ev = JSON.parse(line) as {
                  object: { metadata: { annotations?: Record<string, string> } };
                };
                const mark = ev.object.metadata.annotations?.['bench/write'];
                if (mark) seen.set(mark, now);
                nl = buffer.indexOf('\n');
              }
            });
            resolve();
          },
        );
        req.on('error', reject);
        req.end();
        watchers.push({ seen, close: () => req.destroy() });
      }),
  ),
);
function patch(name: string, mark: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ metadata: { annotations: { 'bench/write': mark } } });
    const req = request(
      `${api.url}/api/v1/namespaces/default/pods/${name}`,
      {
        method: 'PATCH',
        headers: {
          'Content-Type': 'application/merge-patch+json',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve()
            : reject(new Error(`PATCH ${name}: ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const delays: number[] = [];
const writeLatency: number[] = [];
for (let w = 0; w < writeCount; w++) {
  if (Date.now() - started > DEADLINE_MS) throw new Error('benchmark deadline exceeded');
  const mark = `w${w}`;
  const t0 = performance.now();
  await patch(`pod-${1 + (w % 9)}`, mark);
  writeLatency.push(performance.now() - t0);
  const deadline = Date.now() + 10_000;
  while (watchers.some((x) => !x.seen.has(mark))) {
    if (Date.now() > deadline)
      throw new Error(`write ${mark} not seen by every watcher within 10 s`);
    await new Promise((r) => setImmediate(r));
  }
  for (const x of watchers) delays.push(x.seen.get(mark)! - t0);
}
for (const x of watchers) x.close();
await api.close();

const summary = {
  nodes: nodeCount,
  pods: podCount,
  watchers: watcherCount,
  writes: writeCount,
  loadAverage1m: Number(loadavg()[0]!.toFixed(1)),
  gcExposed: gc !== undefined,
  storeHeapMiB: Math.round((loaded.heapMiB - before.heapMiB) * 10) / 10,
  processRssMiB: loaded.rssMiB,
  listLatencyMs: listRows,
  writeToWatchEventMs: percentiles(delays),
  writeRoundTripMs: percentiles(writeLatency),
};
console.log(
  `kube-sim with ${nodeCount} nodes and ${podCount} pods: store heap ${summary.storeHeapMiB} MiB, process RSS ${summary.processRssMiB} MiB`,
);
for (const r of listRows)
  console.log(
    `  list ${String(r['case']).padEnd(36)} p50 ${String(r['p50']).padStart(8)} ms  p95 ${String(r['p95']).padStart(8)} ms  ${String(r['bytes'])} bytes`,
  );
const d = summary.writeToWatchEventMs;
console.log(
  `  write -> watch event (${watcherCount} watchers, ${writeCount} writes): p50 ${d.p50} ms, p95 ${d.p95} ms, p99 ${d.p99} ms, max ${d.max} ms`,
);
console.log(JSON.stringify(summary));
