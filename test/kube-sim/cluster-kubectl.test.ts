// kube-sim's cluster behaviour driven by the real kubectl: a vLLM Deployment rolls out
// (engine-sim answering at its pod IP), `get pods -w`, events, `describe node`, GPU shortage
// with the scheduler's reason, freeing GPUs, a node taken down, a template change rolling out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasKubectl,
  startHarness,
  vllmDeployment,
  waitFor,
  webDeployment,
  type ClusterHarness,
} from './cluster-helpers.js';

describe.skipIf(!hasKubectl)('kube-sim cluster with kubectl', () => {
  let h: ClusterHarness;
  beforeAll(async () => {
    h = await startHarness('h100:1x8,l4:2x1', 50);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('rolls out a vLLM Deployment: rollout status, wait Available, engine-sim at podIP:8000', async () => {
    const watchers = h.sim.store.watcherCount;
    const watch = h.spawnKubectl(['get', 'pods', '-w', '-l', 'app=llama', '-o', 'wide']);
    await waitFor('kubectl watching', () => h.sim.store.watcherCount > watchers);
    await h.kubectl(['apply', '-f', '-'], vllmDeployment('llama', { gpus: 2 }));
    const status = await h.kubectl(['rollout', 'status', 'deployment/llama', '--timeout=60s']);
    expect(status).toContain('deployment "llama" successfully rolled out');
    const waited = await h.kubectl([
      'wait',
      '--for=condition=Available',
      'deployment/llama',
      '--timeout=30s',
    ]);
    expect(waited).toContain('deployment.apps/llama condition met');
    const [podName, podIP, nodeName] = (
      await h.kubectl([
        'get',
        'pods',
        '-l',
        'app=llama',
        '-o',
        'jsonpath={.items[0].metadata.name} {.items[0].status.podIP} {.items[0].spec.nodeName}',
      ])
    ).split(' ');
    expect(podIP).toMatch(/^127\.\d+\.\d+\.\d+$/);
    expect(nodeName).toBe('node-h100-0');
    const models = (await (await fetch(`http://${podIP}:8000/v1/models`)).json()) as {
      data: { id: string }[];
    };
    expect(models.data.map((m) => m.id)).toContain('llama-3.1-8b');
    // `kubectl get pods -w` printed the pod as it appeared and as it became ready.
    await waitFor('watch output', () => /llama-\S+\s+1\/1\s+Running/.test(watch.output()));
    expect(watch.output()).toContain(podName);
    expect(watch.output()).toMatch(/llama-\S+\s+0\/1\s+(Pending|ContainerCreating|Running)/);
    watch.child.kill('SIGTERM');
    const events = await h.kubectl([
      'get',
      'events',
      '--field-selector',
      `involvedObject.name=${podName}`,
    ]);
    for (const reason of ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started'])
      expect(events).toContain(reason);
    expect(events).toContain(`Successfully assigned default/${podName} to node-h100-0`);
  });

  it('describes GPU nodes with their capacity, labels and taint', async () => {
    const out = await h.kubectl(['describe', 'node', 'node-h100-0']);
    expect(out).toMatch(/Capacity:[\s\S]*nvidia\.com\/gpu:\s+8/);
    expect(out).toMatch(/Allocatable:[\s\S]*nvidia\.com\/gpu:\s+8/);
    expect(out).toContain('nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3');
    expect(out).toContain('nvidia.com/gpu=present:NoSchedule');
    expect(out).toMatch(/nvidia\.com\/gpu\s+2\s+2/); // allocated by the llama pod (requests, limits)
    const nodes = await h.kubectl(['get', 'nodes']);
    expect(nodes.match(/\bReady\b/g)).toHaveLength(3);
  });

  it('leaves pods Pending with the scheduler reason when GPUs run out, and schedules them once freed', async () => {
    await h.kubectl(
      ['apply', '-f', '-'],
      vllmDeployment('big', { gpus: 8, product: 'NVIDIA-H100-80GB-HBM3' }),
    );
    const message = await waitFor('FailedScheduling', async () => {
      const out = await h.kubectl([
        'get',
        'pods',
        '-l',
        'app=big',
        '-o',
        'jsonpath={.items[0].status.conditions[?(@.type=="PodScheduled")].message}',
      ]);
      return out.startsWith('0/3') ? out : undefined;
    });
    expect(message).toMatch(
      /^0\/3 nodes are available: 1 Insufficient nvidia.com\/gpu, 2 node\(s\) didn't match Pod's node affinity\/selector\./,
    );
    const pods = await h.kubectl(['get', 'pods', '-l', 'app=big']);
    expect(pods).toMatch(/big-\S+\s+0\/1\s+Pending/);
    const events = await h.kubectl([
      'get',
      'events',
      '--field-selector',
      'reason=FailedScheduling',
    ]);
    expect(events).toContain('Insufficient nvidia.com/gpu');
    await h.kubectl(['delete', 'deployment', 'llama']);
    await h.kubectl(['rollout', 'status', 'deployment/big', '--timeout=60s']);
    const node = await h.kubectl([
      'get',
      'pods',
      '-l',
      'app=big',
      '-o',
      'jsonpath={.items[0].spec.nodeName}',
    ]);
    expect(node).toBe('node-h100-0');
  });

  it('rolls out a template change and reschedules pods off a node taken down', async () => {
    await h.kubectl(['apply', '-f', '-'], webDeployment('web', { replicas: 2 }));
    await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    const before = (
      await h.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])
    ).split(' ');
    await h.kubectl(['set', 'image', 'deployment/web', 'web=nginx:1.28']);
    await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    // The old pods were Terminating (graceful deletion); wait until they are gone.
    await h.kubectl(['wait', '--for=delete', ...before.map((p) => `pod/${p}`), '--timeout=30s']);
    const images = await h.kubectl([
      'get',
      'pods',
      '-l',
      'app=web',
      '-o',
      'jsonpath={.items[*].spec.containers[0].image}',
    ]);
    expect(images.split(' ')).toEqual(['nginx:1.28', 'nginx:1.28']);
    const after = (
      await h.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])
    ).split(' ');
    expect(after.some((p) => before.includes(p))).toBe(false);
    const history = await h.kubectl(['get', 'rs', '-l', 'app=web']);
    expect(history.trim().split('\n')).toHaveLength(3); // header, new RS (2), old RS (0)
    // Undo goes back to the first ReplicaSet (revision 3), without a third one.
    await h.kubectl(['rollout', 'undo', 'deployment/web']);
    await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    await h.kubectl(['wait', '--for=delete', ...after.map((p) => `pod/${p}`), '--timeout=30s']);
    const undone = await h.kubectl([
      'get',
      'pods',
      '-l',
      'app=web',
      '-o',
      'jsonpath={.items[*].spec.containers[0].image}',
    ]);
    expect(undone.split(' ')).toEqual(['nginx:1.27', 'nginx:1.27']);
    expect(
      (await h.kubectl(['get', 'rs', '-l', 'app=web', '-o', 'name'])).trim().split('\n'),
    ).toHaveLength(2);
    const revisions = await h.kubectl(['rollout', 'history', 'deployment/web']);
    expect(revisions).toMatch(/^2\s/m);
    expect(revisions).toMatch(/^3\s/m);

    // Take the node of one web pod down: the pod is evicted (it stays Terminating while its node
    // is unreachable, as on a real cluster) and recreated on another node.
    const wide = await h.kubectl([
      'get',
      'pods',
      '-l',
      'app=web',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name}={.spec.nodeName}{"\\n"}{end}',
    ]);
    const victim = wide
      .trim()
      .split('\n')
      .map((l) => l.split('='))
      .find(([, n]) => n?.startsWith('node-l4'));
    expect(victim).toBeDefined();
    const [victimPod, victimNode] = victim as [string, string];
    await h.kubectl(['annotate', 'node', victimNode, 'sim.bascule.dev/state=down', '--overwrite']);
    await waitFor('node NotReady', async () =>
      /NotReady/.test(await h.kubectl(['get', 'node', victimNode])),
    );
    await waitFor('web rescheduled', async () => {
      const out = await h.kubectl([
        'get',
        'pods',
        '-l',
        'app=web',
        '-o',
        'jsonpath={range .items[*]}{.metadata.name}={.spec.nodeName}={.metadata.deletionTimestamp}={.status.phase}{"\\n"}{end}',
      ]);
      const all = out.trim().split('\n');
      const lines = all.filter((l) => !l.startsWith(`${victimPod}=`));
      const terminating = all.find((l) => l.startsWith(`${victimPod}=`))?.split('=')[2];
      return (
        lines.length === 2 &&
        Boolean(terminating) &&
        !lines.some((l) => l.includes(victimNode)) &&
        lines.every((l) => l.endsWith('=Running'))
      );
    });
    await h.kubectl(['wait', '--for=condition=Available', 'deployment/web', '--timeout=30s']);
    await h.kubectl(['annotate', 'node', victimNode, 'sim.bascule.dev/state=up', '--overwrite']);
    await waitFor(
      'node Ready',
      async () => !/NotReady/.test(await h.kubectl(['get', 'node', victimNode])),
    );
    // Back up, the node's kubelet finishes the Terminating pod.
    await h.kubectl(['wait', '--for=delete', `pod/${victimPod}`, '--timeout=30s']);
  });
});
