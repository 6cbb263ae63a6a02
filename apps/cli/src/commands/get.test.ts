import { describe, expect, it } from 'vitest';
import { table } from './get.js';

const created = new Date(Date.now() - 5 * 60_000).toISOString();
const ready = (status: string, reason: string) => ({
  conditions: [{ type: 'Ready', status, reason }],
});

const rows = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => l.split(/\s{2,}/));

describe('bascule get tables', () => {
  it('models: ADAPTERS lists each LoRA adapter with the ready replicas that have it loaded', () => {
    const ep = (pod: string, ready: boolean, adapters?: string[]) => ({
      pod,
      ip: '10.0.0.1',
      port: 8000,
      ready,
      ...(adapters ? { adapters } : {}),
    });
    const out = table(
      'models',
      [
        {
          metadata: { name: 'llama', creationTimestamp: created },
          spec: {
            engine: 'vllm',
            gpus: 'nvidia-l4:1',
            loraAdapters: [{ name: 'sql' }, { name: 'chat' }],
          },
          status: {
            ...ready('True', 'Serving'),
            replicas: { ready: 2, desired: 3 },
            endpoints: [ep('a', true, ['sql']), ep('b', true, ['chat', 'sql']), ep('c', false)],
          },
        },
        {
          metadata: { name: 'plain', creationTimestamp: created },
          spec: { engine: 'tgi', gpus: 'nvidia-l4:1' },
          status: ready('True', 'Serving'),
        },
      ],
      false,
    );
    expect(rows(out)).toEqual([
      ['NAME', 'ENGINE', 'GPUS', 'READY', 'DESIRED', 'STATUS', 'ADAPTERS', 'AGE'],
      ['llama', 'vllm', 'nvidia-l4:1', '2', '3', 'Serving', 'sql 2/2, chat 1/2', '5m'],
      ['plain', 'tgi', 'nvidia-l4:1', '0', '0', 'Serving', '-', '5m'],
    ]);
  });

  it('routes: EXTERNAL from spec.allowExternal (default yes), READY from status', () => {
    const out = table(
      'routes',
      [
        {
          metadata: { name: 'private-chat', creationTimestamp: created },
          spec: { allowExternal: false, targets: [{ model: 'qwen3-32b' }] },
          status: ready('False', 'ModelNotFound'),
        },
        {
          metadata: { name: 'chat', creationTimestamp: created },
          spec: {
            strategy: 'complexity',
            targets: [{ model: 'llama' }, { provider: 'openai', model: 'gpt-5' }],
          },
          status: ready('True', 'Resolved'),
        },
        { metadata: { name: 'new', creationTimestamp: created }, spec: { targets: [] } },
      ],
      false,
    );
    expect(rows(out)).toEqual([
      ['NAME', 'STRATEGY', 'TARGETS', 'EXTERNAL', 'READY', 'AGE'],
      ['private-chat', 'priority', '1', 'no', 'False', '5m'],
      ['chat', 'complexity', '2', 'yes', 'True', '5m'],
      ['new', 'priority', '0', 'yes', 'Unknown', '5m'],
    ]);
  });

  it('routes -o wide: provider/model targets and the Ready reason', () => {
    const out = table(
      'routes',
      [
        {
          metadata: { name: 'chat', creationTimestamp: created },
          spec: { targets: [{ model: 'llama' }, { provider: 'openai', model: 'gpt-5' }] },
          status: ready('False', 'ProviderModelNotFound'),
        },
      ],
      true,
    );
    expect(rows(out)[1]).toEqual([
      'chat',
      'priority',
      'llama,openai/gpt-5',
      'yes',
      'False',
      '5m',
      'ProviderModelNotFound',
    ]);
  });

  it('providers: READY from status, REASON in wide', () => {
    const items = [
      {
        metadata: { name: 'openai', creationTimestamp: created },
        spec: { type: 'openai', models: [{}, {}] },
        status: ready('False', 'SecretNotFound'),
      },
    ];
    expect(rows(table('providers', items, false))).toEqual([
      ['NAME', 'TYPE', 'MODELS', 'READY', 'AGE'],
      ['openai', 'openai', '2', 'False', '5m'],
    ]);
    expect(rows(table('providers', items, true))[1]).toEqual([
      'openai',
      'openai',
      '2',
      'False',
      '5m',
      'SecretNotFound',
    ]);
  });
});
