// Scenario 9b, strengths before difficulty: a Route whose targets declare what they are good at
// (self-hosted Qwen 3: Chinese and code; self-hosted Mistral: French, German, Spanish,
// Italian; GPT-5: tools and structured output; GPT-5 mini the cheap default). Chinese, French,
// code and tool-calling prompts through the official openai SDK each reach the target that
// declares that strength, whatever their difficulty, and the response headers say why
// (x-bascule-route-reason: strength:<s>, x-bascule-detected). An English prompt with none of
// them is routed by difficulty as before, and `bascule route explain` tells the same story.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bascule } from '../support/bascule.js';
import {
  hasKubectl,
  modelYaml,
  routeDoc,
  startServedStack,
  waitFor,
  type Serve,
  type Stack,
} from '../support/served-stack.js';

const ROUTE = 'polyglot';
const QWEN = 'qwen3-8b';
const MISTRAL = 'mistral-7b';
const ADMIN_KEY = 'bsc-e2e-strengths-admin-key-0000';
const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

interface Seen {
  target: string | null;
  reason: string | null;
  detected: string | null;
  /** x-bascule-complexity-tier: not compared by toEqual on the strength cases. */
  tier?: string | null;
}

describe.skipIf(!hasKubectl)(
  'scenario 9b: targets that declare strengths get the requests that need them',
  () => {
    let stack: Stack;
    let serve: Serve;

    beforeAll(async () => {
      const model = (name: string, source: string) =>
        modelYaml(name, {
          source,
          engine: 'vllm',
          gpus: 'nvidia-l4:1',
          maxContextLength: 32768,
          maxConcurrency: 16,
          replicas: 1,
          capabilities: ['chat', 'completions'],
        });
      ({ stack, serve } = await startServedStack({
        nodes: 'l4:2x1',
        providers: { openai: {} },
        adminKey: ADMIN_KEY,
        env: { BASCULE_AUTH: 'none' },
        docs: [
          model(QWEN, 'hf://Qwen/Qwen3-8B'),
          model(MISTRAL, 'hf://mistralai/Mistral-7B-Instruct-v0.3'),
          routeDoc(ROUTE, {
            strategy: 'complexity',
            complexityThreshold: 0.45,
            targets: [
              { provider: 'openai', model: 'gpt-5-mini', tier: 'simple' },
              {
                provider: 'openai',
                model: 'gpt-5',
                tier: 'complex',
                strengths: ['tools', 'structured-output'],
              },
              { model: QWEN, strengths: ['zh', 'code'] },
              { model: MISTRAL, strengths: ['fr', 'de', 'es', 'it'] },
            ],
          }),
        ],
      }));
      for (const m of [QWEN, MISTRAL])
        await stack.h.kubectl(['wait', '--for=condition=Ready', `model/${m}`, '--timeout=60s']);
      await waitFor(
        'the gateway routes to both Models',
        async () =>
          (await ask('法国的首都是哪里？')).target === QWEN &&
          (await ask('Quelle est la capitale de la France ?')).target === MISTRAL,
        60_000,
      );
    }, 120_000);

    afterAll(async () => {
      await stack?.close();
    });

    async function ask(
      prompt: string,
      extra: {
        tools?: (typeof WEATHER_TOOL)[];
        stream?: boolean;
        json?: boolean;
        tier?: boolean;
      } = {},
    ): Promise<Seen> {
      const client = stack.openai(serve.gateway!);
      const body = {
        model: ROUTE,
        messages: [{ role: 'user' as const, content: prompt }],
        max_tokens: 8,
        ...(extra.tools ? { tools: extra.tools } : {}),
        ...(extra.json ? { response_format: { type: 'json_object' as const } } : {}),
      };
      const response = extra.stream
        ? (await client.chat.completions.create({ ...body, stream: true }).withResponse()).response
        : (await client.chat.completions.create(body).withResponse()).response;
      return {
        target: response.headers.get('x-bascule-target'),
        reason: response.headers.get('x-bascule-route-reason'),
        detected: response.headers.get('x-bascule-detected'),
        ...(extra.tier ? { tier: response.headers.get('x-bascule-complexity-tier') } : {}),
      };
    }

    it('Chinese prompts go to Qwen, easy or hard, streamed or not', async () => {
      for (const [prompt, stream] of [
        ['法国的首都是哪里？', false],
        ['证明：存在无穷多个素数，然后解释为什么同样的论证不适用于 n^2 + 1 形式的素数。', true],
      ] as const) {
        const a = await ask(prompt, { stream });
        expect({ target: a.target, reason: a.reason }).toEqual({
          target: QWEN,
          reason: 'strength:zh',
        });
        expect(a.detected).toMatch(/^language=zh; tasks=/);
      }
    }, 60_000);

    it('French prompts go to Mistral', async () => {
      const a = await ask("Peux-tu m'expliquer pourquoi le ciel est bleu pendant la journée ?");
      expect(a).toEqual({
        target: MISTRAL,
        reason: 'strength:fr',
        detected: 'language=fr; tasks=none',
      });
    }, 30_000);

    it('code prompts go to Qwen although they score as hard', async () => {
      const a = await ask(
        'Write a Python function that parses a CSV file with quoted fields, then refactor it to stream rows lazily:\n```python\ndef parse(path):\n    return open(path).read().split("\\n")\n```',
      );
      expect(a).toEqual({
        target: QWEN,
        reason: 'strength:code',
        detected: 'language=en; tasks=code',
      });
    }, 30_000);

    it('tool calls go to GPT-5, also in French (tools outweigh the language)', async () => {
      expect(await ask('What is the weather in Paris?', { tools: [WEATHER_TOOL] })).toEqual({
        target: 'openai/gpt-5',
        reason: 'strength:tools',
        detected: 'language=en; tasks=tools',
      });
      expect(
        await ask('Quel temps fait-il à Paris ?', { tools: [WEATHER_TOOL], stream: true }),
      ).toMatchObject({
        target: 'openai/gpt-5',
        reason: 'strength:tools',
      });
      expect(await ask('List three fruits as JSON.', { json: true })).toMatchObject({
        target: 'openai/gpt-5',
        reason: 'strength:structured-output',
      });
    }, 30_000);

    it('a prompt with no declared strength is routed by difficulty', async () => {
      const a = await ask('What is the capital of Peru?', { tier: true });
      expect(a).toMatchObject({ reason: 'complexity', detected: 'language=en; tasks=none' });
      expect(a.target).toBe(a.tier === 'complex' ? 'openai/gpt-5' : 'openai/gpt-5-mini');
    }, 30_000);

    it('`bascule route explain` shows what was detected and which strength decided', async () => {
      const r = await bascule(serve.api!, ADMIN_KEY, [
        'route',
        'explain',
        ROUTE,
        '--prompt',
        '请用 Python 写一个函数，读取 CSV 文件。',
        '-o',
        'json',
      ]);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as {
        decision: { target: string; reason: string };
        explanation: {
          detected: { language: string; tasks: string[] };
          strength: { target: string; strength: string; matched: string[] };
        };
      };
      expect(out.decision).toMatchObject({ target: QWEN, reason: 'strength:code' });
      expect(out.explanation.detected).toEqual({ language: 'zh', tasks: ['code'] });
      expect(out.explanation.strength).toEqual({
        target: QWEN,
        strength: 'code',
        matched: ['code', 'zh'],
      });
      const table = await bascule(serve.api!, ADMIN_KEY, [
        'route',
        'explain',
        ROUTE,
        '--prompt',
        'Quelle heure est-il à Montréal ?',
      ]);
      expect(table.code).toBe(0);
      expect(table.stdout).toContain('detected: language fr');
      expect(table.stdout).toContain(`strength: fr (${MISTRAL} matches fr)`);
    }, 60_000);
  },
);
