import type { KubeObject } from '../../store/index.js';
import { age } from './human-duration.js';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TablePrinter {
  columns: ColumnDefinition[];
  cells(object: KubeObject, now: Date): unknown[];
}

type Obj = Record<string, unknown>;
const col = (name: string, type = 'string', priority = 0, format = ''): ColumnDefinition => ({
  name,
  type,
  format,
  description: name === 'Name' ? 'Name must be unique within a namespace.' : `${name} column`,
  priority,
});
const NAME = col('Name', 'string', 0, 'name');
const AGE = col('Age');
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const str = (v: unknown, fallback = '<none>'): string =>
  typeof v === 'string' && v !== '' ? v : fallback;
const spec = (x: KubeObject): Obj => o(x['spec']);
const status = (x: KubeObject): Obj => o(x['status']);
const containers = (x: KubeObject): Obj[] => arr(o(o(spec(x)['template'])['spec'])['containers']);

function podStatus(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const st = status(pod);
  let reason = str(st['reason'], str(st['phase'], 'Unknown'));
  for (const c of arr(st['containerStatuses'])) {
    const state = o(c['state']);
    const waiting = o(state['waiting'])['reason'];
    const terminated = o(state['terminated']);
    if (typeof waiting === 'string' && waiting) reason = waiting;
    else if (typeof terminated['reason'] === 'string' && terminated['reason'])
      reason = terminated['reason'];
  }
  return reason;
}

function ports(svc: KubeObject): string {
  const list = arr(spec(svc)['ports']).map(
    (p) =>
      `${num(p['port'])}${p['nodePort'] ? `:${num(p['nodePort'])}` : ''}/${str(p['protocol'], 'TCP')}`,
  );
  return list.length > 0 ? list.join(',') : '<none>';
}

function selectorText(sel: unknown): string {
  const m = o(o(sel)['matchLabels']);
  const parts = Object.entries(m).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length > 0 ? parts.join(',') : '<none>';
}

function nodeStatus(node: KubeObject): string {
  const ready = arr(status(node)['conditions']).find((c) => c['type'] === 'Ready');
  let s = ready?.['status'] === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
  if (spec(node)['unschedulable']) s += ',SchedulingDisabled';
  return s;
}

function nodeRoles(node: KubeObject): string {
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length));
  return roles.length > 0 ? roles.join(',') : '<none>';
}

function eventObject(ev: KubeObject): string {
  const inv = o(ev['involvedObject'] ?? ev['regarding']);
  return `${str(inv['kind'], '').toLowerCase()}/${str(inv['name'], '')}`;
}

function eventLastSeen(ev: KubeObject, now: Date): string {
  const t =
    ev['lastTimestamp'] ?? ev['eventTime'] ?? ev['firstTimestamp'] ?? ev.metadata.creationTimestamp;
  return age(t, now);
}

const images = (cs: Obj[]): string => cs.map((c) => str(c['image'], '')).join(',') || '<none>';
const names = (cs: Obj[]): string => cs.map((c) => str(c['name'], '')).join(',') || '<none>';

/** `kubectl get` columns of the built-in kinds, as the API server's table convertors print them. */
export const BUILTIN_PRINTERS: Record<string, TablePrinter> = {
  Pod: {
    columns: [
      NAME,
      col('Ready'),
      col('Status'),
      col('Restarts'),
      AGE,
      col('IP', 'string', 1),
      col('Node', 'string', 1),
      col('Nominated Node', 'string', 1),
      col('Readiness Gates', 'string', 1),
    ],
    cells(p, now) {
      const cs = arr(status(p)['containerStatuses']);
      const total = arr(spec(p)['containers']).length;
      const ready = cs.filter((c) => c['ready'] === true).length;
      const restarts = cs.reduce((n, c) => n + num(c['restartCount']), 0);
      return [
        p.metadata.name,
        `${ready}/${total}`,
        podStatus(p),
        String(restarts),
        age(p.metadata.creationTimestamp, now),
        str(status(p)['podIP']),
        str(spec(p)['nodeName']),
        str(status(p)['nominatedNodeName']),
        '<none>',
      ];
    },
  },
  Deployment: {
    columns: [
      NAME,
      col('Ready'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      AGE,
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
      col('Selector', 'string', 1),
    ],
    cells(d, now) {
      const st = status(d);
      return [
        d.metadata.name,
        `${num(st['readyReplicas'])}/${num(spec(d)['replicas'] ?? 1)}`,
        num(st['updatedReplicas']),
        num(st['availableReplicas']),
        age(d.metadata.creationTimestamp, now),
        names(containers(d)),
        images(containers(d)),
        selectorText(spec(d)['selector']),
      ];
    },
  },
  ReplicaSet: {
    columns: [
      NAME,
      col('Desired', 'integer'),
      col('Current', 'integer'),
      col('Ready', 'integer'),
      AGE,
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
      col('Selector', 'string', 1),
    ],
    cells(r, now) {
      const st = status(r);
      return [
        r.metadata.name,
        num(spec(r)['replicas'] ?? 1),
        num(st['replicas']),
        num(st['readyReplicas']),
        age(r.metadata.creationTimestamp, now),
        names(containers(r)),
        images(containers(r)),
        selectorText(spec(r)['selector']),
      ];
    },
  },
  Service: {
    columns: [
      NAME,
      col('Type'),
      col('Cluster-IP'),
      col('External-IP'),
      col('Port(s)'),
      AGE,
      col('Selector', 'string', 1),
    ],
    cells(s, now) {
      const sel = Object.entries(o(spec(s)['selector']))
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',');
      return [
        s.metadata.name,
        str(spec(s)['type'], 'ClusterIP'),
        str(spec(s)['clusterIP']),
        '<none>',
        ports(s),
        age(s.metadata.creationTimestamp, now),
        sel || '<none>',
      ];
    },
  },
  Node: {
    columns: [
      NAME,
      col('Status'),
      col('Roles'),
      AGE,
      col('Version'),
      col('Internal-IP', 'string', 1),
      col('External-IP', 'string', 1),
      col('OS-Image', 'string', 1),
      col('Kernel-Version', 'string', 1),
      col('Container-Runtime', 'string', 1),
    ],
    cells(n, now) {
      const info = o(status(n)['nodeInfo']);
      const ip = arr(status(n)['addresses']).find((a) => a['type'] === 'InternalIP')?.['address'];
      return [
        n.metadata.name,
        nodeStatus(n),
        nodeRoles(n),
        age(n.metadata.creationTimestamp, now),
        str(info['kubeletVersion'], ''),
        str(ip),
        '<none>',
        str(info['osImage'], '<unknown>'),
        str(info['kernelVersion'], '<unknown>'),
        str(info['containerRuntimeVersion'], '<unknown>'),
      ];
    },
  },
  Namespace: {
    columns: [NAME, col('Status'), AGE],
    cells: (n, now) => [
      n.metadata.name,
      n.metadata.deletionTimestamp ? 'Terminating' : str(status(n)['phase'], 'Active'),
      age(n.metadata.creationTimestamp, now),
    ],
  },
  ConfigMap: {
    columns: [NAME, col('Data', 'integer'), AGE],
    cells: (c, now) => [
      c.metadata.name,
      Object.keys(o(c['data'])).length + Object.keys(o(c['binaryData'])).length,
      age(c.metadata.creationTimestamp, now),
    ],
  },
  Secret: {
    columns: [NAME, col('Type'), col('Data', 'integer'), AGE],
    cells: (s, now) => [
      s.metadata.name,
      str(s['type'], 'Opaque'),
      Object.keys(o(s['data'])).length + Object.keys(o(s['stringData'])).length,
      age(s.metadata.creationTimestamp, now),
    ],
  },
  ServiceAccount: {
    columns: [NAME, col('Secrets', 'integer'), AGE],
    cells: (s, now) => [
      s.metadata.name,
      arr(s['secrets']).length,
      age(s.metadata.creationTimestamp, now),
    ],
  },
  Event: {
    columns: [
      col('Last Seen'),
      col('Type'),
      col('Reason'),
      col('Object'),
      col('Message'),
      col('Name', 'string', 1, 'name'),
    ],
    cells: (e, now) => [
      eventLastSeen(e, now),
      str(e['type'], 'Normal'),
      str(e['reason'], ''),
      eventObject(e),
      str(e['message'] ?? e['note'], ''),
      e.metadata.name,
    ],
  },
  Endpoints: {
    columns: [NAME, col('Endpoints'), AGE],
    cells(e, now) {
      const eps: string[] = [];
      for (const sub of arr(e['subsets'])) {
        for (const a of arr(sub['addresses']))
          for (const p of arr(sub['ports'])) eps.push(`${String(a['ip'])}:${num(p['port'])}`);
      }
      return [
        e.metadata.name,
        eps.length > 0 ? eps.join(',') : '<none>',
        age(e.metadata.creationTimestamp, now),
      ];
    },
  },
  EndpointSlice: {
    columns: [NAME, col('AddressType'), col('Ports'), col('Endpoints'), AGE],
    cells(e, now) {
      const ps =
        arr(e['ports'])
          .map((p) => String(num(p['port'])))
          .join(',') || '<unset>';
      const addrs = arr(e['endpoints']).flatMap((ep) =>
        Array.isArray(ep['addresses']) ? (ep['addresses'] as string[]) : [],
      );
      return [
        e.metadata.name,
        str(e['addressType'], 'IPv4'),
        ps,
        addrs.join(',') || '<unset>',
        age(e.metadata.creationTimestamp, now),
      ];
    },
  },
  Lease: {
    columns: [NAME, col('Holder'), AGE],
    cells: (l, now) => [
      l.metadata.name,
      str(spec(l)['holderIdentity'], ''),
      age(l.metadata.creationTimestamp, now),
    ],
  },
  CustomResourceDefinition: {
    columns: [NAME, col('Created At', 'date')],
    cells: (c) => [c.metadata.name, c.metadata.creationTimestamp],
  },
};

export const DEFAULT_PRINTER: TablePrinter = {
  columns: [NAME, AGE],
  cells: (x, now) => [x.metadata.name, age(x.metadata.creationTimestamp, now)],
};
