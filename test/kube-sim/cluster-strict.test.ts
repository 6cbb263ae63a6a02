// kube-sim as strict as a real cluster where our controller and chart could be wrong (issue 22),
// driven by the real kubectl: a GPU Deployment written for GKE (no toleration) schedules; a
// deleted pod terminates gracefully (deletionTimestamp, preStop, terminating endpoint, its GPU
// held until it is gone); `kubectl drain` evicts through the Eviction API honouring a
// PodDisruptionBudget (429, retried); a NoExecute taint evicts; `kubectl logs` shows engine-sim.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, startHarness, waitFor, type ClusterHarness } from './cluster-helpers.js';

interface PodJson {
  metadata: { name: string; deletionTimestamp?: string; deletionGracePeriodSeconds?: number };
  spec: { nodeName?: string; tolerations?: { key?: string; effect?: string }[] };
  status: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string; message?: string }[];
  };
}

/** A GPU Deployment as written for GKE: requests nvidia.com/gpu, no toleration. */
function gkeGpuDeployment(name: string, replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 400
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.11.0
        args: ["--model", "Qwen/Qwen2.5-0.5B-Instruct", "--port", "8000"]
        ports: [{name: http, containerPort: 8000}]
        resources:
          limits: {nvidia.com/gpu: "1"}
        readinessProbe:
          httpGet: {path: /health, port: http}
          periodSeconds: 2
        lifecycle:
          preStop:
            sleep: {seconds: 3600}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: 8000, targetPort: http}]
`;
}

function cpuDeployment(name: string, replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 5
      containers:
      - name: web
        image: nginx:1.27
        ports: [{name: http, containerPort: 8080}]
        resources: {requests: {cpu: 100m}}
        readinessProbe:
          httpGet: {path: /, port: http}
          periodSeconds: 1
`;
}

describe.skipIf(!hasKubectl)('kube-sim behaves like a strict cluster', () => {
  let h: ClusterHarness;
  const pods = async (selector: string): Promise<PodJson[]> =>
    (
      JSON.parse(await h.kubectl(['get', 'pods', '-l', selector, '-o', 'json'])) as {
        items: PodJson[];
      }
    ).items;

  beforeAll(async () => {
    h = await startHarness('l4:2x1,cpu:2', 50);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('schedules a GPU Deployment written for GKE and terminates its pods gracefully', async () => {
    await h.kubectl(['apply', '-f', '-'], gkeGpuDeployment('gke', 2));
    await h.kubectl(['rollout', 'status', 'deployment/gke', '--timeout=60s']);
    const running = await pods('app=gke');
    expect(running.map((p) => p.spec.nodeName).sort()).toEqual(['node-l4-0', 'node-l4-1']);
    // ExtendedResourceToleration added the toleration GKE adds.
    expect(running[0]!.spec.tolerations).toContainEqual({
      key: 'nvidia.com/gpu',
      operator: 'Exists',
      effect: 'NoSchedule',
    });

    const victim = running[0]!;
    await h.kubectl(['delete', 'pod', victim.metadata.name, '--wait=false']);
    const terminating = JSON.parse(
      await h.kubectl(['get', 'pod', victim.metadata.name, '-o', 'json']),
    ) as PodJson;
    expect(terminating.metadata.deletionTimestamp).toBeTruthy();
    expect(terminating.metadata.deletionGracePeriodSeconds).toBe(400);
    expect(await h.kubectl(['get', 'pod', victim.metadata.name])).toContain('Terminating');
    // The EndpointSlice keeps it as serving but not ready, terminating.
    const slices = JSON.parse(
      await h.kubectl([
        'get',
        'endpointslices',
        '-l',
        'kubernetes.io/service-name=gke',
        '-o',
        'json',
      ]),
    ) as { items: { endpoints: { addresses: string[]; conditions: Record<string, boolean> }[] }[] };
    const endpoint = slices.items[0]!.endpoints.find((e) =>
      e.addresses.includes(victim.status.podIP!),
    );
    expect(endpoint?.conditions).toEqual({ ready: false, serving: true, terminating: true });
    // Its GPU is still held: the replacement waits for it.
    const replacement = await waitFor('replacement unschedulable', async () =>
      (await pods('app=gke')).find(
        (p) =>
          p.metadata.name !== victim.metadata.name &&
          p.status.conditions?.some(
            (c) =>
              c.type === 'PodScheduled' && /Insufficient nvidia.com\/gpu/.test(c.message ?? ''),
          ),
      ),
    );
    // preStop would sleep an hour: the grace period (400 s, 8 s at time scale 50) cuts it short,
    // then the kubelet removes the pod.
    await h.kubectl(['wait', '--for=delete', `pod/${victim.metadata.name}`, '--timeout=30s']);
    await waitFor('replacement on the freed node', async () => {
      const p = (await pods('app=gke')).find((x) => x.metadata.name === replacement.metadata.name);
      return p?.spec.nodeName === victim.spec.nodeName && p?.status.phase === 'Running';
    });

    // kubectl logs: engine-sim's output, --tail, and --follow seeing a new request. The pod
    // that stayed is read (ready since the rollout): the replacement may still be loading.
    const pod = (await pods('app=gke')).find((p) => p.metadata.name === running[1]!.metadata.name);
    const logs = await h.kubectl(['logs', pod!.metadata.name]);
    expect(logs).toContain('Application startup complete.');
    const tail = await h.kubectl(['logs', pod!.metadata.name, '--tail=1']);
    expect(tail.trim().split('\n')).toHaveLength(1);
    const follow = h.spawnKubectl(['logs', '-f', pod!.metadata.name]);
    await waitFor('follow started', () => follow.output().includes('Application startup'));
    const res = await fetch(`http://${pod!.status.podIP}:8000/v1/models`);
    expect(res.status).toBe(200);
    await waitFor('access log line followed', () =>
      follow.output().includes('"GET /v1/models HTTP/1.1" 200'),
    );
    follow.child.kill('SIGTERM');
    await expect(h.kubectl(['exec', pod!.metadata.name, '--', 'ls'])).rejects.toThrow(
      /not simulated by kube-sim/,
    );
    await h.kubectl(['delete', 'deployment', 'gke', '--wait=false']);
  });

  it('drains a node through the Eviction API, honouring a PodDisruptionBudget', async () => {
    await h.kubectl(['cordon', 'node-cpu-1']);
    await h.kubectl(['apply', '-f', '-'], cpuDeployment('web', 2));
    await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    expect((await pods('app=web')).map((p) => p.spec.nodeName)).toEqual([
      'node-cpu-0',
      'node-cpu-0',
    ]);
    await h.kubectl(
      ['apply', '-f', '-'],
      `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
`,
    );
    await waitFor(
      'pdb status',
      async () =>
        (await h.kubectl(['get', 'pdb', 'web', '-o', 'jsonpath={.status.disruptionsAllowed}'])) ===
        '1',
    );
    expect(await h.kubectl(['get', 'pdb', 'web'])).toMatch(/^web\s+N\/A\s+1\s+1\s/m);
    await h.kubectl(['uncordon', 'node-cpu-1']);
    const out = await h.kubectl([
      'drain',
      'node-cpu-0',
      '--ignore-daemonsets',
      '--delete-emptydir-data',
      '--timeout=60s',
    ]);
    expect(out).toContain('node/node-cpu-0 drained');
    const node = JSON.parse(await h.kubectl(['get', 'node', 'node-cpu-0', '-o', 'json'])) as {
      spec: { unschedulable?: boolean; taints?: { key: string }[] };
    };
    expect(node.spec.unschedulable).toBe(true);
    expect(node.spec.taints?.map((t) => t.key)).toContain('node.kubernetes.io/unschedulable');
    const moved = (await pods('app=web')).filter((p) => !p.metadata.deletionTimestamp);
    expect(moved.map((p) => p.spec.nodeName)).toEqual(['node-cpu-1', 'node-cpu-1']);
    // The second eviction had to wait for the first replacement: the API answered 429.
    const events = await h.kubectl(['get', 'events', '--field-selector', 'reason=Killing']);
    expect(events).toContain('Stopping container web');
    await h.kubectl(['uncordon', 'node-cpu-0']);
  });

  it('refuses an eviction that would break the budget with 429', async () => {
    // A budget that allows no disruption: every eviction is refused while both pods are needed.
    await h.kubectl([
      'patch',
      'pdb',
      'web',
      '--type=json',
      '-p',
      '[{"op":"remove","path":"/spec/maxUnavailable"},{"op":"add","path":"/spec/minAvailable","value":2}]',
    ]);
    const [first] = (await pods('app=web')).filter((p) => !p.metadata.deletionTimestamp);
    const evict = (name: string) =>
      fetch(`${h.sim.url}/api/v1/namespaces/default/pods/${name}/eviction`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name, namespace: 'default' },
        }),
      });
    const refused = await evict(first!.metadata.name);
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as {
      message: string;
      details: { causes: { message: string }[] };
    };
    expect(body.message).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(body.details.causes[0]!.message).toBe(
      'The disruption budget web needs 2 healthy pods and has 2 currently',
    );
    expect(await h.kubectl(['get', 'pod', first!.metadata.name, '-o', 'name'])).toContain(
      first!.metadata.name,
    );
    await h.kubectl(['delete', 'pdb', 'web']);
    // StatefulSets and PDBs are served kinds (stored; kube-sim runs no StatefulSet controller).
    const kinds = await h.kubectl(['api-resources', '--api-group=apps', '-o', 'name']);
    expect(kinds.split('\n')).toContain('statefulsets.apps');
    expect(await h.kubectl(['get', 'statefulsets,poddisruptionbudgets'])).toBe('');
  });

  it('evicts pods that do not tolerate a NoExecute taint', async () => {
    await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    const before = (await pods('app=web')).filter((p) => !p.metadata.deletionTimestamp);
    const node = before[0]!.spec.nodeName!;
    await h.kubectl(['taint', 'node', node, 'maintenance=now:NoExecute']);
    await waitFor('pods evicted off the tainted node', async () => {
      const live = (await pods('app=web')).filter((p) => !p.metadata.deletionTimestamp);
      return live.length === 2 && live.every((p) => p.spec.nodeName !== node);
    });
    const events = await h.kubectl([
      'get',
      'events',
      '--field-selector',
      'reason=TaintManagerEviction',
    ]);
    expect(events).toContain('Marking for deletion Pod default/');
    await h.kubectl(['taint', 'node', node, 'maintenance=now:NoExecute-']);
  });

  it('fails like a kubelet: missing Secret, PVC, ServiceAccount and an unpullable image', async () => {
    const pod = (name: string, extra: string, image = 'nginx:1.27') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
${extra}
  containers:
  - name: app
    image: ${image}
    resources: {requests: {cpu: 10m}}
`;
    await h.kubectl(
      ['apply', '-f', '-'],
      [
        pod('needs-secret', '  terminationGracePeriodSeconds: 1').replace(
          '    resources:',
          '    envFrom: [{secretRef: {name: api-keys}}]\n    resources:',
        ),
        pod('needs-claim', '  volumes: [{name: cache, persistentVolumeClaim: {claimName: cache}}]'),
        pod('bad-image', '  terminationGracePeriodSeconds: 1', 'nginx:missing'),
      ].join('---\n'),
    );
    const reason = async (name: string) =>
      h.kubectl([
        'get',
        'pod',
        name,
        '-o',
        'jsonpath={.status.containerStatuses[0].state.waiting.reason}',
      ]);
    await waitFor(
      'CreateContainerConfigError',
      async () => (await reason('needs-secret')) === 'CreateContainerConfigError',
    );
    expect(await h.kubectl(['get', 'pod', 'needs-secret'])).toContain('CreateContainerConfigError');
    await waitFor(
      'ImagePullBackOff',
      async () => (await reason('bad-image')) === 'ImagePullBackOff',
    );
    const events = await h.kubectl([
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=bad-image',
    ]);
    expect(events).toContain('Failed to pull image "nginx:missing"');
    const pending = await h.kubectl([
      'get',
      'pod',
      'needs-claim',
      '-o',
      'jsonpath={.status.conditions[0].message}',
    ]);
    expect(pending).toMatch(/^0\/4 nodes are available: persistentvolumeclaim "cache" not found\./);
    await expect(
      h.kubectl(['apply', '-f', '-'], pod('needs-sa', '  serviceAccountName: robot')),
    ).rejects.toThrow(
      /error looking up service account default\/robot: serviceaccount "robot" not found/,
    );

    // Supplying what was missing lets both start, as on a real cluster.
    await h.kubectl(['create', 'secret', 'generic', 'api-keys', '--from-literal=KEY=v']);
    await h.kubectl(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: cache}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Gi}}
`,
    );
    await h.kubectl([
      'wait',
      '--for=condition=Ready',
      'pod/needs-secret',
      'pod/needs-claim',
      '--timeout=30s',
    ]);
    const pvc = await h.kubectl(['get', 'pvc', 'cache']);
    expect(pvc).toMatch(/cache\s+Bound\s+pvc-\S+\s+10Gi\s+RWO\s+standard/);
    await h.kubectl(['delete', 'pod', 'needs-secret', 'needs-claim', 'bad-image']);
  });
});
