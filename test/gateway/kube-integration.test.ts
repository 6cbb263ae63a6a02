import Anthropic from '@anthropic-ai/sdk';
import { createKubernetesSecretSource } from '@bascule/providers';
import {
  createGateway,
  startGateway,
  startKubeResources,
  type Gateway,
  type RunningGateway,
  type UsageRecord,
} from '@bascule/gateway';
import { startProviderSim, type RunningProviderSim } from '@bascule/provider-sim';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  condition,
  hasKubectl,
  modelYaml,
  startHarness,
  waitFor,
  type Harness,
} from '../controller/support/controller-harness.js';
import { SIM_KEY } from './support/fixtures.js';

// The whole path: kubectl applies a Model, a Provider (key in a Secret) and a Route to
// kube-sim; the controller runs engine-sim pods and writes the Model's endpoints; the gateway
// watches all of it and serves the Route, then overflows when the Model scales to zero.
describe.skipIf(!hasKubectl)('gateway on kube-sim with the controller', () => {
  let h: Harness;
  let openai: RunningProviderSim;
  let gateway: Gateway;
  let running: RunningGateway;
  let stopResources: () => Promise<void>;
  let closeSecrets: () => void;
  let client: OpenAI;
  const usage: UsageRecord[] = [];

  beforeAll(async () => {
    h = await startHarness('l4:1x1');
    openai = await startProviderSim({ type: 'openai', apiKey: SIM_KEY, seed: 3 });
    await h.startController();
    const docs = [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'openai-key' },
        data: { 'api-key': Buffer.from(SIM_KEY).toString('base64') },
      },
      {
        apiVersion: 'bascule.dev/v1alpha1',
        kind: 'Provider',
        metadata: { name: 'openai' },
        spec: {
          type: 'openai',
          baseURL: `${openai.url}/v1`,
          apiKeySecretRef: { name: 'openai-key', key: 'api-key' },
          models: [
            { name: 'gpt-5-mini', inputUSDPer1M: 0.25, outputUSDPer1M: 2, contextWindow: 400000 },
          ],
        },
      },
      {
        apiVersion: 'bascule.dev/v1alpha1',
        kind: 'Route',
        metadata: { name: 'chat' },
        spec: { targets: [{ model: 'small' }, { provider: 'openai', model: 'gpt-5-mini' }] },
      },
    ];
    await h.kubectl(['apply', '-f', '-'], docs.map((d) => JSON.stringify(d)).join('\n'));
    await h.kubectl(
      ['apply', '-f', '-'],
      modelYaml('small', {
        source: 'hf://meta-llama/Llama-3.1-8B-Instruct',
        engine: 'vllm',
        gpus: 'nvidia-l4:1',
        maxContextLength: 8192,
        capabilities: ['chat', 'tools'],
        replicas: 1,
        autoscaling: { enabled: false, minReplicas: 0 },
        cost: { gpuHourUSD: 0.72 },
      }),
    );
    await waitFor(
      'small Ready',
      async () => (await condition(h, 'small', 'Ready'))?.status === 'True',
      90_000,
    );
    const resources = await startKubeResources({ client: h.client, namespace: 'default' });
    stopResources = () => resources.stop();
    const secrets = createKubernetesSecretSource(h.client.config, { namespace: 'default' });
    closeSecrets = () => secrets.close();
    gateway = createGateway({ resources, secrets, onUsage: (r) => usage.push(r) });
    running = await startGateway({ gateway });
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  }, 120_000);
  afterAll(async () => {
    await running?.close();
    await gateway?.close();
    await stopResources?.();
    closeSecrets?.();
    await openai?.close();
    await h?.close();
  });

  const ask = async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'hello' }], max_tokens: 4 })
      .withResponse();
    expect(data.choices[0]!.message.content!.length).toBeGreaterThan(0);
    return `${response.headers.get('x-bascule-target')} ${response.headers.get('x-bascule-route-reason')}`;
  };

  it('serves the Route from the Model pod the controller started', async () => {
    await waitFor(
      'the gateway to see the endpoint',
      async () => (await ask()) === 'small priority',
      30_000,
    );
    expect(openai.stats().requests).toBe(0);
  });

  it('speaks Anthropic Messages and OpenAI Responses from the Model pod, tools and streams', async () => {
    const anthropic = new Anthropic({ baseURL: running.url, apiKey: 'unused', maxRetries: 0 });
    const tool = {
      name: 'get_weather',
      input_schema: {
        type: 'object' as const,
        properties: { city: { type: 'string' } },
        required: ['city'],
      },
    };
    const { data: whole, response } = await anthropic.messages
      .create({
        model: 'chat',
        max_tokens: 32,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'Say hello' }],
      })
      .withResponse();
    expect(response.headers.get('x-bascule-target')).toBe('small');
    expect(whole.type).toBe('message');
    expect(whole.content[0]?.type === 'text' && whole.content[0].text.length).toBeGreaterThan(0);
    expect(usage.at(-1)).toMatchObject({ route: 'chat', target: 'small', status: 200 });
    expect(usage.at(-1)!.completionTokens).toBe(whole.usage.output_tokens);
    expect(usage.at(-1)!.promptTokens).toBe(whole.usage.input_tokens);

    const stream = anthropic.messages.stream({
      model: 'chat',
      max_tokens: 64,
      tools: [tool],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'Weather in Paris? Use the tool.' }],
    });
    const msg = await stream.finalMessage();
    expect((await stream.withResponse()).response.headers.get('x-bascule-target')).toBe('small');
    const use = msg.content.find((b) => b.type === 'tool_use');
    expect(use?.type === 'tool_use' && use.input).toHaveProperty('city');
    expect(usage.at(-1)).toMatchObject({ route: 'chat', target: 'small', status: 200 });
    expect(usage.at(-1)!.completionTokens).toBe(msg.usage.output_tokens);

    const r = await client.responses.create({
      model: 'chat',
      input: 'Say hello',
      stream: true,
    });
    let text = '';
    let completed: OpenAI.Responses.Response | undefined;
    for await (const e of r) {
      if (e.type === 'response.output_text.delta') text += e.delta;
      if (e.type === 'response.completed' || e.type === 'response.incomplete')
        completed = e.response;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(completed!.output_text ?? text).toBeDefined();
    expect(usage.at(-1)).toMatchObject({ route: 'chat', target: 'small', status: 200 });
    expect(usage.at(-1)!.completionTokens).toBe(completed!.usage!.output_tokens);

    // A function tool round trip, stateless (this gateway stores no Responses).
    const fn = {
      type: 'function' as const,
      name: 'get_weather',
      parameters: tool.input_schema,
      strict: false,
    };
    const first = await client.responses.create({
      model: 'chat',
      input: 'Weather in Paris? Use the tool.',
      tools: [fn],
      tool_choice: 'required',
      store: false,
    });
    const call = first.output.find((o) => o.type === 'function_call');
    expect(call?.type === 'function_call' && JSON.parse(call.arguments)).toHaveProperty('city');
    const second = await client.responses.create({
      model: 'chat',
      store: false,
      tools: [fn],
      tool_choice: 'none',
      input: [
        { role: 'user', content: 'Weather in Paris? Use the tool.' },
        ...(call?.type === 'function_call'
          ? [
              {
                type: 'function_call' as const,
                call_id: call.call_id,
                name: call.name,
                arguments: call.arguments,
              },
              { type: 'function_call_output' as const, call_id: call.call_id, output: 'Sunny' },
            ]
          : []),
      ],
    });
    expect(second.output_text.length).toBeGreaterThan(0);
    expect(usage.at(-1)).toMatchObject({ route: 'chat', target: 'small', status: 200 });
    const counted = await anthropic.messages.countTokens({
      model: 'chat',
      messages: [{ role: 'user', content: 'hello there' }],
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect(openai.stats().requests).toBe(0);
  });

  it('overflows with overflow:cold-start once the Model is scaled to zero', async () => {
    await h.kubectl(['scale', 'model/small', '--replicas=0']);
    await waitFor('small at zero replicas', async () => {
      const m = await h.kubectlJson<{ status?: { replicas?: { ready: number } } }>([
        'get',
        'model',
        'small',
      ]);
      return m.status?.replicas?.ready === 0;
    });
    expect(
      await waitFor(
        'overflow',
        async () => (await ask()) === 'openai/gpt-5-mini overflow:cold-start' || undefined,
        30_000,
      ),
    ).toBe(true);
    expect(openai.stats().requests).toBeGreaterThan(0);
  });
});
