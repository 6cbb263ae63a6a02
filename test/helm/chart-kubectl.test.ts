// The rendered chart applies cleanly with the real kubectl (server-side apply) to kube-sim, for
// the defaults (manifests/install.yaml) and every value set. kube-sim serves the workload kinds;
// the test registers the other kinds the chart uses (RBAC, StatefulSet, PDB, HPA, ...) as plain
// stored resources, so what is checked here is what kubectl and the API server see: names,
// namespaces, kinds, field ownership, and that nothing conflicts.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeSim, type KubeSim } from '@bascule/kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, renderText, renderUnavailable } from './support/render-chart.js';
import { VALUE_SETS } from './support/value-sets.js';
import { registerChartKinds } from './support/chart-kinds.js';
import { hasKubectl } from '../support/has-kubectl.js';

const skip = renderUnavailable ?? (hasKubectl ? undefined : 'kubectl is missing');
if (skip) console.warn(`skipping chart kubectl tests: ${skip}`);

let sim: KubeSim;
let dir: string;

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      args,
      { cwd: ROOT, env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'helm-kubectl-'));
  sim = await startKubeSim({ nodes: 'l4:1x1', port: 0, kubeconfigPath: join(dir, 'kubeconfig') });
  registerChartKinds(sim);
});
afterAll(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(skip !== undefined)('chart with kubectl on kube-sim', () => {
  it('manifests/install.yaml applies server-side and every object is there', async () => {
    expect((await kubectl(['create', 'namespace', 'bascule'])).code).toBe(0);
    const r = await kubectl(['apply', '--server-side', '-f', 'manifests/install.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const o of [
      'customresourcedefinition.apiextensions.k8s.io/models.bascule.dev',
      'deployment.apps/bascule',
      'statefulset.apps/bascule-redis',
      'service/bascule-gateway',
      'clusterrole.rbac.authorization.k8s.io/bascule-bascule',
      'role.rbac.authorization.k8s.io/bascule',
      'poddisruptionbudget.policy/bascule',
    ])
      expect(r.stdout).toContain(`${o} serverside-applied`);
    const args = await kubectl([
      '-n',
      'bascule',
      'get',
      'deployment',
      'bascule',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].args}',
    ]);
    expect(args.stdout).toContain('--roles=controller,gateway,api,worker');
    // Applying again changes nothing and conflicts with nothing.
    const again = await kubectl(['apply', '--server-side', '-f', 'manifests/install.yaml']);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
  });

  it.each(Object.keys(VALUE_SETS).filter((s) => s !== 'defaults'))(
    '%s applies with a dry run on the server',
    async (set) => {
      const ns = set.replace(/\s+/g, '-');
      expect((await kubectl(['create', 'namespace', ns])).code).toBe(0);
      const file = join(dir, `${ns}.yaml`);
      await writeFile(
        file,
        await renderText({ values: VALUE_SETS[set]!, name: 'bascule', namespace: ns }),
      );
      const r = await kubectl(['apply', '--server-side', '--dry-run=server', '-f', file]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /deployment\.apps\/bascule\S* serverside-applied \(server dry run\)/,
      );
      if (set === 'models from values')
        expect(r.stdout).toContain(
          'model.bascule.dev/qwen3-8b serverside-applied (server dry run)',
        );
      // Dry run: nothing was stored.
      const listed = await kubectl(['-n', ns, 'get', 'deployments', '-o', 'name']);
      expect(listed.stdout.trim()).toBe('');
    },
  );
});
