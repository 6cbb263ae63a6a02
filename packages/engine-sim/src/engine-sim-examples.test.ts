import { fileURLToPath } from 'node:url';
import { engineAdapter, GPU_PRODUCT_LABEL } from '@bascule/engines';
import { loadSources, type Model } from '@bascule/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineStartupError } from './engine-runtime.js';
import { parseEngineArgs } from './parse-engine-args.js';
import { startEngineSim } from './start-engine-sim.js';

// The Deployments the engine adapters render for manifests/examples must start engine-sim
// unchanged, answer their own probes, and serve the names the Model declares.
const EXAMPLES = fileURLToPath(new URL('../../../manifests/examples', import.meta.url));
const models: Model[] = [];

beforeAll(async () => {
  const out = await loadSources([EXAMPLES]);
  for (const doc of out.documents) {
    if (doc.result?.status === 'valid' && doc.result.resource.kind === 'Model')
      models.push(doc.result.resource);
  }
});

describe('engine-sim runs the rendered example Deployments', () => {
  it('accepts every container command line, passes its probes and serves its names', async () => {
    expect(models.length).toBeGreaterThan(3);
    const outcomes: string[] = [];
    for (const model of models) {
      const d = engineAdapter(model.spec.engine).renderDeployment({ model, replicas: 1 });
      const pod = d.spec!.template.spec!;
      const c = pod.containers[0]!;
      const argv = [...(c.command ?? []), ...(c.args ?? [])];
      const config = parseEngineArgs(argv, model.spec.engine);
      expect(config.engine).toBe(model.spec.engine);
      const gpu =
        pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
          .flatMap((t) => t.matchExpressions ?? [])
          .find((e) => e.key === GPU_PRODUCT_LABEL)?.values?.[0] ?? 'h100';
      try {
        const engine = await startEngineSim({
          argv,
          engine: model.spec.engine,
          port: 0,
          gpu,
          loadSeconds: 0,
          tokenizer: 'approx',
        });
        try {
          for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
            if (!probe?.httpGet) continue;
            expect(
              (await fetch(`${engine.url}${probe.httpGet.path ?? '/'}`)).status,
              `${model.metadata.name} ${probe.httpGet.path}`,
            ).toBe(200);
          }
          const ids = (
            (await (await fetch(`${engine.url}/v1/models`)).json()) as {
              data: Array<{ id: string }>;
            }
          ).data.map((m) => m.id);
          expect(ids.length).toBeGreaterThan(0);
          outcomes.push(`${model.metadata.name}: started on ${gpu}`);
        } finally {
          await engine.close();
        }
      } catch (e) {
        // a model too large for its GPUs must fail the way the engine would, never otherwise
        expect(e, model.metadata.name).toBeInstanceOf(EngineStartupError);
        outcomes.push(`${model.metadata.name}: ${(e as Error).message.slice(0, 60)}`);
      }
    }
    expect(outcomes.filter((o) => o.includes('started')).length).toBeGreaterThan(3);
  });
});
