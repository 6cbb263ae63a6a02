// Every example Model lands on the right GPU nodes of each platform as it comes: nodes labelled
// by GPU feature discovery (nvidia.com/gpu.product), by GKE (cloud.google.com/gke-accelerator,
// GCE machine types, no GFD) and by EKS (EC2 instance types, no GFD). kube-sim labels its nodes
// from its own catalog of each platform, so this checks Bascule's GPU profile table against it.
import type { V1Pod } from '@kubernetes/client-node';
import { loadSources, parseGpuProfile, type Model } from '@bascule/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXAMPLES,
  hasKubectl,
  startHarness,
  waitFor,
  type Harness,
} from './support/controller-harness.js';

// Machines each platform sells: GKE has no A10G (an AWS-only GPU), so its spec leaves it out.
const PLATFORMS = [
  { platform: 'gfd', nodes: 'h100:2x8,h200:1x8,l4:2x1,a10g:1x1', missing: [] },
  { platform: 'gke', nodes: 'h100:2x8,h200:1x8,l4:2x1', missing: ['nvidia-a10g'] },
  { platform: 'eks', nodes: 'h100:2x8,h200:1x8,l4:2x1,a10g:1x1', missing: [] },
] as const;

let models: Model[] = [];
beforeAll(async () => {
  models = (await loadSources([EXAMPLES])).documents.flatMap((d) =>
    d.result?.status === 'valid' && d.result.resource.kind === 'Model' ? [d.result.resource] : [],
  );
});

describe.skipIf(!hasKubectl).each(PLATFORMS)(
  'example Models on $platform-labelled nodes',
  ({ platform, nodes, missing }) => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(nodes, 50, platform);
      await h.startController();
      await h.kubectl(['apply', '-f', `${EXAMPLES}/hf-token.yaml`]);
      await h.kubectl(['apply', '-f', `${EXAMPLES}/pvc-model-cache.yaml`]);
      for (const m of models)
        await h.kubectl(['apply', '-f', `${EXAMPLES}/model-${m.metadata.name}.yaml`]);
      await h.kubectl(['scale', ...models.map((m) => `model/${m.metadata.name}`), '--replicas=1']);
    });
    afterAll(() => h?.close());

    it('labels GPU nodes like the platform and nothing else', async () => {
      const list = await h.kubectlJson<{
        items: { metadata: { labels: Record<string, string> } }[];
      }>(['get', 'nodes']);
      const gpu = list.items.filter(
        (n) => n.metadata.labels['sim.bascule.dev/node-type'] !== 'cpu',
      );
      expect(gpu.length).toBeGreaterThan(3);
      for (const { metadata } of gpu) {
        const l = metadata.labels;
        expect(l['nvidia.com/gpu.product'] !== undefined).toBe(platform === 'gfd');
        expect(l['cloud.google.com/gke-accelerator'] !== undefined).toBe(platform === 'gke');
        expect(l['eks.amazonaws.com/nodegroup'] !== undefined).toBe(platform === 'eks');
        if (platform !== 'gfd') expect(l['node.kubernetes.io/instance-type']).not.toMatch(/^sim-/);
      }
    });

    it('runs every example it has GPUs for on nodes of its GPU type, Ready', async () => {
      const placeable = models.filter(
        (m) => !(missing as readonly string[]).includes(parseGpuProfile(m.spec.gpus).type),
      );
      expect(placeable.length).toBe(models.length - (platform === 'gke' ? 1 : 0));
      const out = await h.kubectl([
        'wait',
        '--for=condition=Ready',
        '--timeout=90s',
        ...placeable.map((m) => `model/${m.metadata.name}`),
      ]);
      for (const m of placeable)
        expect(out).toContain(`model.bascule.dev/${m.metadata.name} condition met`);
      const pods = await h.kubectlJson<{ items: V1Pod[] }>(['get', 'pods']);
      for (const m of placeable) {
        const pod = pods.items.find(
          (p) => p.metadata?.labels?.['bascule.dev/model'] === m.metadata.name,
        );
        expect(pod?.spec?.nodeName, m.metadata.name).toBeDefined();
        // Node names are node-<sim type>-<n>; the sim type is the GPU type without "nvidia-".
        const want = parseGpuProfile(m.spec.gpus).type.replace(/^nvidia-/, '');
        expect(pod!.spec!.nodeName, m.metadata.name).toMatch(new RegExp(`^node-${want}-\\d+$`));
      }
    });

    it.runIf(platform === 'gke')(
      'leaves the A10G example pending: no GKE node matches its labels',
      async () => {
        const pod = await waitFor('mistral-7b pod unschedulable', async () => {
          const pods = await h.kubectlJson<{ items: V1Pod[] }>([
            'get',
            'pods',
            '-l',
            'bascule.dev/model=mistral-7b',
          ]);
          const p = pods.items[0];
          const c = p?.status?.conditions?.find((x) => x.type === 'PodScheduled');
          return c?.status === 'False' && c.message ? c.message : undefined;
        });
        expect(pod).toMatch(/didn't match Pod's node affinity\/selector/);
      },
    );
  },
);
