import { TEMPLATE_HASH_ANNOTATION } from '@bascule/spec';
import { describe, expect, it } from 'vitest';
import { applied, model, observe, pod } from './plan-model-fixtures.js';
import { planModel } from './plan-model.js';

const adapters = [
  { name: 'sql', source: 'hf://acme/sql-lora' },
  { name: 'chat', source: 'pvc://loras/chat' },
];

describe('planModel: LoRA adapters', () => {
  it('vLLM: the adapters to load at run time, and the same Deployment with or without them', () => {
    const withMax = (extra: Record<string, unknown>) => model({ vllm: { maxLoras: 2 }, ...extra });
    const { plan, deployment } = applied(observe(withMax({ loraAdapters: adapters })));
    expect(plan.adapters).toEqual([
      { name: 'sql', ref: 'acme/sql-lora' },
      { name: 'chat', ref: '/mnt/pvc/loras/chat' },
    ]);
    const args = deployment!.spec!.template.spec!.containers[0]!.args!;
    expect(args).toEqual(expect.arrayContaining(['--enable-lora', '--max-loras', '2']));
    expect(args).not.toContain('--lora-modules');
    const hash = (m: ReturnType<typeof withMax>) =>
      applied(observe(m)).deployment!.metadata!.annotations![TEMPLATE_HASH_ANNOTATION];
    // an adapter on a claim the pods already mount adds nothing to the template
    expect(hash(withMax({ loraAdapters: adapters.slice(1) }))).toBe(
      hash(withMax({ loraAdapters: adapters })),
    );
    expect(hash(withMax({}))).toBe(hash(withMax({ loraAdapters: [adapters[0]] })));
    expect(applied(observe(model())).plan.adapters).toBeUndefined();
  });

  it('TGI: adapters at start, reported per replica from the pod args, nothing to load', () => {
    const m = model({ engine: 'tgi', gpus: 'nvidia-h100:1', loraAdapters: adapters });
    const first = applied(observe(m));
    expect(first.plan.adapters).toBeUndefined();
    const template = first.deployment!.spec!.template;
    const hash = first.deployment!.metadata!.annotations![TEMPLATE_HASH_ANNOTATION]!;
    const p = pod('m-1', { node: 'n1', ready: true, hash, gpus: 1 });
    p.spec!.containers[0]!.args = template.spec!.containers[0]!.args;
    const plan = planModel(
      observe(m, { deployment: first.deployment!, service: first.service!, pods: [p] }),
    );
    expect(plan.status!.endpoints).toEqual([
      expect.objectContaining({ pod: 'm-1', ready: true, adapters: ['chat', 'sql'] }),
    ]);
  });
});
