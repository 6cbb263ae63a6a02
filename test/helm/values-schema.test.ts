// values.schema.json: accepts the chart's values.yaml and every test value set, rejects bad values
// with a message naming the field; values.yaml documents every key; README and install.yaml are
// what `pnpm gen` writes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHART, ROOT, renderUnavailable, type KubeDoc } from './support/render-chart.js';
import { validateObject } from './support/validate-objects.js';
import { VALUE_SETS } from './support/value-sets.js';

const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as object;
const defaults = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** Deep merge like Helm's values coalescing (maps merge, everything else replaces). */
function merge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      b &&
      typeof b === 'object' &&
      !Array.isArray(b)
        ? merge(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** Helm's wording: "- at '/path': message". */
function messages(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (e) =>
      `at '${e.instancePath || '/'}${e.keyword === 'additionalProperties' ? `/${String(e.params['additionalProperty'])}` : ''}': ${e.message ?? ''}`,
  );
}

describe('values.schema.json', () => {
  it('accepts the defaults and every test value set', () => {
    expect(messages(validate(defaults) ? [] : validate.errors)).toEqual([]);
    for (const [name, sets] of Object.entries(VALUE_SETS)) {
      const values = sets.reduce(merge, defaults);
      expect(validate(values) ? [] : messages(validate.errors), name).toEqual([]);
    }
  });

  it.each([
    [{ gateway: { port: 'http' } }, "at '/gateway/port': must be integer"],
    [{ gateway: { port: 70000 } }, "at '/gateway/port': must be <= 65535"],
    [{ auth: { mode: 'open' } }, "at '/auth/mode': must be equal to one of the allowed values"],
    [
      { redis: { external: { url: 'http://redis:6379' } } },
      "at '/redis/external/url': must match pattern",
    ],
    [{ replicaCount: 3 }, "at '//replicaCount': must NOT have additional properties"],
    [
      { controller: { startupTimeout: 'an hour' } },
      "at '/controller/startupTimeout': must match pattern",
    ],
    [
      { gpuProfiles: { 'H100 SXM': { nodeSelector: { a: 'b' } } } },
      "at '/gpuProfiles': property name must be valid",
    ],
    [
      { gpuProfiles: { h200: { tolerations: [] } } },
      "at '/gpuProfiles/h200': must have required property 'nodeSelector'",
    ],
    [
      { models: { llama: { engine: 'vllm' } } },
      "at '/models/llama': must have required property 'source'",
    ],
    [
      { auth: { adminKeySecret: { name: 'admin', key: '' } } },
      "at '/auth/adminKeySecret/key': must NOT have fewer than 1 characters",
    ],
    [{ logLevel: 'verbose' }, "at '/logLevel': must be equal to one of the allowed values"],
  ])('rejects %j naming the field', (bad, message) => {
    expect(validate(merge(defaults, bad))).toBe(false);
    expect(messages(validate.errors).join('\n')).toContain(message);
  });

  it('covers every key of values.yaml (additionalProperties stops typos at the top level)', () => {
    const props = (schema as { properties: Record<string, unknown> }).properties;
    expect(Object.keys(defaults).filter((k) => !(k in props))).toEqual([]);
  });
});

describe('values.yaml documentation and generated files', () => {
  it('documents every top-level key with a "# --" comment', () => {
    const lines = readFileSync(join(CHART, 'values.yaml'), 'utf8').split('\n');
    const undocumented = lines
      .map((l, i) => ({ l, prev: lines[i - 1] ?? '' }))
      .filter(({ l }) => /^[A-Za-z]\w*:/.test(l))
      .filter(({ prev }) => !prev.startsWith('# --'))
      .map(({ l }) => l.split(':')[0]);
    expect(undocumented).toEqual([]);
  });

  it.skipIf(renderUnavailable !== undefined)(
    'README.md and manifests/install.yaml are up to date (pnpm gen)',
    () => {
      const r = spawnSync('node', ['scripts/gen-chart-docs.mjs', '--check'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const readme = readFileSync(join(CHART, 'README.md'), 'utf8');
      expect(readme).toContain('| `redis.external.url` |');
    },
  );
});

describe('object validators used by the chart tests', () => {
  it('report a bad built-in object and a bad Model', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { replicas: 'two', selector: {}, template: {} },
    } as unknown as KubeDoc;
    expect((await validateObject(deployment)).join()).toContain('Deployment/x');
    const model = {
      apiVersion: 'bascule.dev/v1alpha1',
      kind: 'Model',
      metadata: { name: 'm' },
      spec: { source: 'hf://a/b', gpus: 'nvidia-l4:1', tensorParallelism: 0 },
    } as unknown as KubeDoc;
    expect((await validateObject(model)).join()).toMatch(/Model\/m: \/spec\/tensorParallelism/);
  });
});
