import { describe, expect, it } from 'vitest';
import { MODEL, PROVIDER, ROUTE, edit, type BadInputCase } from './bad-input-cases.js';
import { allIssues, formatLoadIssue } from './load-result.js';
import { loadText } from './load-text.js';

const CASES: BadInputCase[] = [
  {
    name: 'unclosed flow sequence',
    text: edit(MODEL, 'gpus: nvidia-l4:1', 'gpus: [nvidia-l4:1'),
    errors: [
      'bad.yaml:9:1: yaml: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
  },
  {
    name: 'tab indentation',
    text: edit(MODEL, '  engine: vllm', '\tengine: vllm'),
    errors: ['bad.yaml:7:1: yaml: tabs are not allowed as indentation; indent with spaces'],
  },
  {
    name: 'duplicate top-level key',
    text: edit(MODEL, 'kind: Model\n', 'kind: Model\nkind: Model\n'),
    errors: ['bad.yaml:3:1: yaml: duplicate key "kind"'],
  },
  {
    name: 'duplicate nested key',
    text: edit(MODEL, '  engine: vllm\n', '  engine: vllm\n  engine: tgi\n'),
    errors: ['bad.yaml:8:3: yaml: duplicate key "engine"'],
  },
  {
    name: 'unterminated quote',
    text: edit(MODEL, 'engine: vllm', 'engine: "vllm'),
    errors: ['bad.yaml:9:1: yaml: Missing closing "quote'],
  },
  {
    name: 'compact nested mapping',
    text: edit(MODEL, 'engine: vllm', 'engine: vllm: fast'),
    errors: ['bad.yaml:7:11: yaml: Nested mappings are not allowed in compact mappings'],
  },
  {
    name: 'unresolved alias',
    text: edit(MODEL, 'engine: vllm', 'engine: *default-engine'),
    errors: [
      'bad.yaml:7:11: yaml: Unresolved alias (the anchor must be set before the alias): default-engine',
    ],
  },
  {
    name: 'alias bomb',
    text: 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
    errors: ['bad.yaml:1:1: yaml: Excessive alias count indicates a resource exhaustion attack'],
  },
  {
    name: 'string for integer',
    text: edit(MODEL, 'gpus: nvidia-l4:1', 'gpus: nvidia-l4:1\n  maxConcurrency: lots'),
    errors: ['bad.yaml:9:19: Model/llama .spec.maxConcurrency: expected a number, got a string'],
  },
  {
    name: 'fraction for integer',
    text: edit(MODEL, 'gpus: nvidia-l4:1', 'gpus: nvidia-l4:1\n  replicas: 1.5'),
    errors: ['bad.yaml:9:13: Model/llama .spec.replicas: expected an integer, got 1.5'],
  },
  {
    name: 'list for object',
    text: edit(MODEL, 'gpus: nvidia-l4:1', 'gpus: nvidia-l4:1\n  autoscaling: [1, 2]'),
    errors: ['bad.yaml:9:16: Model/llama .spec.autoscaling: expected an object, got an array'],
  },
  {
    name: 'number for gpus',
    text: edit(MODEL, 'gpus: nvidia-l4:1', 'gpus: 2'),
    errors: ['bad.yaml:8:9: Model/llama .spec.gpus: expected a string, got 2'],
  },
  {
    name: 'unknown field, close match',
    text: edit(MODEL, 'engine: vllm', 'engnie: vllm'),
    errors: [
      'bad.yaml:5:1: Model/llama .spec.engine: required field is missing (one of vllm, tgi)',
      'bad.yaml:7:3: Model/llama .spec.engnie: unknown field "engnie" (did you mean "engine"?)',
    ],
  },
  {
    name: 'unknown field, no match',
    text: edit(MODEL, 'gpus: nvidia-l4:1', 'gpus: nvidia-l4:1\n  colour: blue'),
    errors: [
      'bad.yaml:9:3: Model/llama .spec.colour: unknown field "colour" in spec; known fields: source, revision, sourceSecretRef, engine, image, gpus, tensorParallelism, maxContextLength, quantization, dtype, replicas, autoscaling, maxConcurrency, servedNames, aliases, capabilities, loraAdapters, weightCache, loadBalancing, cost, resources, extraArgs, env, vllm, tgi',
    ],
  },
  {
    name: 'unknown metadata field',
    text: edit(MODEL, '  name: llama', '  name: llama\n  lables: {team: ml}'),
    errors: [
      'bad.yaml:5:3: Model/llama .metadata.lables: unknown field "lables" (did you mean "labels"?)',
    ],
  },
  {
    name: 'enum typo',
    text: edit(MODEL, 'engine: vllm', 'engine: vlm'),
    errors: [
      'bad.yaml:7:11: Model/llama .spec.engine: must be one of vllm, tgi; got "vlm" (did you mean "vllm"?)',
    ],
  },
  {
    name: 'https source',
    text: edit(
      MODEL,
      'hf://meta-llama/Llama-3.1-8B-Instruct',
      'https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct',
    ),
    errors: [
      'bad.yaml:6:11: Model/llama .spec.source: must be a URI of the form hf://org/name, s3://bucket/path or pvc://claim-name/path',
    ],
  },
  {
    name: 'hf source without org',
    text: edit(MODEL, 'hf://meta-llama/Llama-3.1-8B-Instruct', 'hf://Llama-3.1-8B-Instruct'),
    errors: [
      'bad.yaml:6:11: Model/llama .spec.source: must be a URI of the form hf://org/name, s3://bucket/path or pvc://claim-name/path',
    ],
  },
  {
    name: 'zero GPUs',
    text: edit(MODEL, 'nvidia-l4:1', 'nvidia-l4:0'),
    errors: [
      'bad.yaml:8:9: Model/llama .spec.gpus: must be "<gpu-type>:<count>", e.g. "nvidia-h100:2" or "nvidia-l4:1"',
    ],
  },
  {
    name: 'too many GPUs',
    text: edit(MODEL, 'nvidia-l4:1', 'nvidia-h100:32'),
    errors: ['bad.yaml:8:9: Model/llama .spec.gpus: a replica may use at most 16 GPUs (one node)'],
  },
  {
    name: 'negative replicas',
    text: edit(MODEL, 'gpus: nvidia-l4:1', 'gpus: nvidia-l4:1\n  replicas: -1'),
    errors: ['bad.yaml:9:13: Model/llama .spec.replicas: must be >= 0'],
  },
  {
    name: 'inverted replicas',
    text: edit(
      MODEL,
      'gpus: nvidia-l4:1',
      'gpus: nvidia-l4:1\n  autoscaling:\n    minReplicas: 4\n    maxReplicas: 2',
    ),
    errors: [
      'bad.yaml:10:18: Model/llama .spec.autoscaling.minReplicas: minReplicas (4) must be <= maxReplicas (2)',
    ],
  },
  {
    name: 'tensor parallelism does not divide',
    text: edit(MODEL, 'gpus: nvidia-l4:1', 'gpus: nvidia-h100:4\n  tensorParallelism: 3'),
    errors: [
      'bad.yaml:9:22: Model/llama .spec.tensorParallelism: tensorParallelism (3) must divide the GPU count (4 in "nvidia-h100:4")',
    ],
  },
  {
    name: 'other engine options',
    text: edit(MODEL, 'gpus: nvidia-l4:1', 'gpus: nvidia-l4:1\n  tgi:\n    maxInputTokens: 4096'),
    errors: [
      'bad.yaml:10:5: Model/llama .spec.tgi: tgi options are not valid with engine vllm; use spec.vllm',
    ],
  },
  {
    name: 'missing required field',
    text: edit(MODEL, '  engine: vllm\n', ''),
    errors: [
      'bad.yaml:5:1: Model/llama .spec.engine: required field is missing (one of vllm, tgi)',
    ],
  },
  {
    name: 'missing spec',
    text: MODEL.slice(0, MODEL.indexOf('spec:')),
    errors: ['bad.yaml:1:1: Model/llama .spec: required field is missing'],
  },
  {
    name: 'name not a DNS label',
    text: edit(MODEL, 'name: llama', 'name: Llama_3.1'),
    errors: [
      "bad.yaml:4:9: Model/Llama_3.1 .metadata.name: must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit",
    ],
  },
  {
    name: 'name too long',
    text: edit(MODEL, 'name: llama', `name: ${'a'.repeat(64)}`),
    errors: [
      'bad.yaml:4:9: Model/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa .metadata.name: must be at most 63 characters',
    ],
  },
  {
    name: 'inline API key',
    text: edit(
      PROVIDER,
      '  apiKeySecretRef: {name: openai-api-key, key: api-key}',
      '  apiKey: sk-proj-123',
    ),
    errors: [
      'bad.yaml:5:1: Provider/openai .spec.apiKeySecretRef: apiKeySecretRef is required for type openai: reference the Secret key holding the API key',
      'bad.yaml:7:3: Provider/openai .spec.apiKey: inline API keys are not allowed: store the key in a Secret and reference it with apiKeySecretRef {name, key}',
    ],
  },
  {
    name: 'credential header',
    text: edit(
      PROVIDER,
      '  type: openai',
      '  type: openai\n  headers:\n    Authorization: Bearer sk-123',
    ),
    errors: [
      'bad.yaml:8:20: Provider/openai .spec.headers.Authorization: header Authorization carries a credential: put the key in a Secret and reference it with apiKeySecretRef',
    ],
  },
  {
    name: 'negative price',
    text: edit(PROVIDER, 'inputUSDPer1M: 0.25', 'inputUSDPer1M: -0.25'),
    errors: ['bad.yaml:10:22: Provider/openai .spec.models[0].inputUSDPer1M: must be >= 0'],
  },
  {
    name: 'negative rate limit',
    text: edit(PROVIDER, '  type: openai', '  type: openai\n  limits: {rpm: -5}'),
    errors: ['bad.yaml:7:17: Provider/openai .spec.limits.rpm: must be >= 0'],
  },
  {
    name: 'bad baseURL',
    text: edit(PROVIDER, '  type: openai', '  type: openai\n  baseURL: api.openai.com'),
    errors: ['bad.yaml:7:12: Provider/openai .spec.baseURL: must be an http:// or https:// URL'],
  },
  {
    name: 'private route with provider target',
    text: edit(ROUTE, 'spec:\n', 'spec:\n  allowExternal: false\n'),
    errors: [
      'bad.yaml:9:17: Route/chat .spec.targets[1].provider: allowExternal is false, so provider target openai/gpt-5-mini is not allowed (requests must stay in the cluster)',
    ],
  },
  {
    name: 'YAML 1.1 boolean key (on)',
    text: edit(ROUTE, 'spec:\n', 'spec:\n  fallback:\n    on: [coldStart]\n'),
    errors: [
      'bad.yaml:7:5: Route/chat .spec.fallback.true: unknown field "true": YAML 1.1 (and kubectl) reads an unquoted on, off, yes, no, y or n as a boolean; quote the key',
    ],
  },
  {
    name: 'nested too deeply',
    text: `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(10_000)}`,
    errors: ['bad.yaml:1:1: yaml: the document is nested too deeply'],
  },
  {
    name: 'bad duration',
    text: edit(ROUTE, 'spec:\n', 'spec:\n  fallback:\n    maxQueueWait: 2 seconds\n'),
    errors: [
      'bad.yaml:7:19: Route/chat .spec.fallback.maxQueueWait: must be a duration: an integer followed by ms, s, m or h (e.g. "500ms", "30s", "5m")',
    ],
  },
  {
    name: 'empty targets',
    text: edit(
      ROUTE,
      '  targets:\n    - model: llama\n    - provider: openai\n      model: gpt-5-mini\n',
      '  targets: []\n',
    ),
    errors: ['bad.yaml:6:12: Route/chat .spec.targets: must have at least 1 item'],
  },
  {
    name: 'wrong apiVersion version',
    text: edit(MODEL, 'bascule.dev/v1alpha1', 'bascule.dev/v1'),
    errors: [
      'bad.yaml:1:13: Model/llama .apiVersion: unsupported version "bascule.dev/v1": use bascule.dev/v1alpha1',
    ],
  },
  {
    name: 'apiVersion without group',
    text: edit(MODEL, 'bascule.dev/v1alpha1', 'v1alpha1'),
    errors: [
      'bad.yaml:1:13: Model/llama .apiVersion: Model needs apiVersion bascule.dev/v1alpha1, got "v1alpha1"',
    ],
  },
  {
    name: 'unknown kind',
    text: edit(MODEL, 'kind: Model', 'kind: Modle'),
    errors: [
      'bad.yaml:2:7: Modle/llama .kind: unknown kind "Modle" in bascule.dev/v1alpha1 (did you mean "Model"?)',
    ],
  },
  {
    name: 'missing apiVersion',
    text: edit(MODEL, 'apiVersion: bascule.dev/v1alpha1\n', ''),
    errors: [
      'bad.yaml:1:1: Model/llama .apiVersion: required field is missing (use bascule.dev/v1alpha1)',
    ],
  },
  {
    name: 'missing kind',
    text: edit(MODEL, 'kind: Model\n', ''),
    errors: ['bad.yaml:1:1: Unknown/llama .kind: required field is missing'],
  },
  {
    name: 'empty file',
    text: '',
    errors: ['bad.yaml:1:1: no objects found (the source is empty)'],
  },
  {
    name: 'only separators and comments',
    text: '---\n# nothing here\n---\n',
    errors: ['bad.yaml:1:1: no objects found (the source is empty)'],
  },
  {
    name: 'scalar document',
    text: 'hello\n',
    errors: [
      'bad.yaml:1:1: Unknown/<unnamed> .: expected an object with apiVersion and kind, got a string',
    ],
  },
  {
    name: 'list document',
    text: '- kind: Model\n',
    errors: [
      'bad.yaml:1:1: Unknown/<unnamed> .: expected an object with apiVersion and kind, got an array',
    ],
  },
  {
    name: 'JSON with wrong type',
    text: JSON.stringify(
      {
        apiVersion: 'bascule.dev/v1alpha1',
        kind: 'Route',
        metadata: { name: 'chat' },
        spec: { targets: [{ model: 'llama' }], complexityThreshold: '0.5' },
      },
      null,
      2,
    ),
    errors: [
      'bad.yaml:13:28: Route/chat .spec.complexityThreshold: expected a number, got a string',
    ],
  },
  {
    name: 'JSON duplicate key',
    text: '{"apiVersion": "bascule.dev/v1alpha1", "kind": "Route", "kind": "Route"}',
    errors: ['bad.yaml:1:57: yaml: duplicate key "kind"'],
  },
  {
    name: 'second document bad',
    text: MODEL + '---\n' + edit(ROUTE, 'model: llama', 'model: ""'),
    errors: ['bad.yaml:16:14: Route/chat .spec.targets[0].model: must not be empty'],
  },
  {
    name: '10 MB document',
    text: edit(
      MODEL,
      'gpus: nvidia-l4:1',
      `gpus: nvidia-l4:1\n  extraArgs: ["${'x'.repeat(10 * 1024 * 1024)}"]`,
    ),
    errors: [
      'bad.yaml:1:1: source is 10.0 MiB, more than the 4.0 MiB limit; split it into smaller files',
    ],
  },
];

describe('bad input', () => {
  it('has at least 30 cases with distinct names', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES)('$name', ({ text, errors }) => {
    const loaded = loadText(text, 'bad.yaml');
    expect(allIssues(loaded).map(formatLoadIssue)).toEqual(errors);
    // Every error points inside the source and none is a stack trace.
    const lines = text.split('\n').length;
    for (const issue of allIssues(loaded)) {
      expect(issue.line).toBeGreaterThanOrEqual(1);
      expect(issue.line).toBeLessThanOrEqual(lines);
      expect(issue.message).not.toMatch(/\n\s+at /);
    }
  });

  it('the unmodified bases are valid', () => {
    for (const base of [MODEL, PROVIDER, ROUTE]) {
      const loaded = loadText(base, 'ok.yaml');
      expect(allIssues(loaded)).toEqual([]);
      expect(loaded.documents[0]?.result?.status).toBe('valid');
    }
  });
});
