// Reliability of the provider client against a scripted upstream: retries, retry-after,
// connection resets, keep-alive pooling and rpm limits shared by two "replicas" through Redis.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  createInMemorySharedLimits,
  createProviderClient,
  createRedisSharedLimits,
  ProviderError,
  type ResolvedProvider,
} from '@bascule/providers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';

type Step = (res: ServerResponse, socket: Socket) => void;

const ok: Step = (res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'ok', refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    }),
  );
};
const status =
  (code: number, headers: Record<string, string> = {}): Step =>
  (res) => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: { message: `status ${code}`, type: 'x' } }));
  };
const reset: Step = (_res, socket) => socket.destroy();

describe('provider client reliability', () => {
  let server: Server;
  let url: string;
  let script: Step[] = [];
  let requests = 0;
  const sockets = new Set<Socket>();
  let redis: RunningRedisServer;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => (script.shift() ?? ok)(res, req.socket));
    });
    server.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    redis = await startRedisServer();
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await redis?.stop();
  });
  afterEach(() => {
    script = [];
    requests = 0;
    sockets.clear();
  });

  const provider = (extra: Partial<ResolvedProvider> = {}): ResolvedProvider => ({
    name: `p-${Math.random().toString(36).slice(2)}`,
    type: 'openai-compatible',
    baseUrl: url,
    apiKey: 'k-123456',
    ...extra,
  });
  const request = { model: 'x', messages: [{ role: 'user' as const, content: 'hi' }] };

  it('retries a 503 and a connection reset with jittered exponential backoff, then succeeds', async () => {
    const delays: number[] = [];
    const client = createProviderClient({
      random: () => 0.5,
      retry: { baseDelayMs: 100, maxRetries: 3 },
      sleep: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
    });
    script = [status(503), reset];
    const r = await client.chat(provider(), 'm', request);
    expect(r.stream ? undefined : r.response.choices[0]?.message.content).toBe('ok');
    expect(requests).toBe(3);
    expect(delays).toEqual([50, 100]);
    await client.close();
  });

  it('waits out a short retry-after, then retries; a long one fails at once and cools down', async () => {
    const delays: number[] = [];
    let now = 1_000_000;
    const limits = createInMemorySharedLimits(() => now);
    const client = createProviderClient({
      limits,
      retry: { maxRetryAfterMs: 2_000 },
      sleep: (ms) => {
        delays.push(ms);
        now += ms;
        return Promise.resolve();
      },
    });
    const p = provider();
    script = [status(429, { 'retry-after': '1' })];
    const r = await client.chat(p, 'm', request);
    expect(r.stream).toBe(false);
    expect(delays).toEqual([1_000]);
    script = [status(429, { 'retry-after': '60' })];
    const err = await client.chat(p, 'm', request).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, retryAfterMs: 60_000 });
    expect(await limits.cooldownRemaining(p.name)).toBeGreaterThan(59_000);
    await client.close();
  });

  it('does not retry a 400', async () => {
    const client = createProviderClient({ sleep: () => Promise.resolve() });
    script = [status(400)];
    const err = await client.chat(provider(), 'm', request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 400, retryable: false });
    expect(requests).toBe(1);
    await client.close();
  });

  it('reuses keep-alive connections for sequential calls', async () => {
    const client = createProviderClient();
    const p = provider();
    for (let i = 0; i < 20; i++) await client.chat(p, 'm', request);
    expect(requests).toBe(20);
    // undici may open a second socket while the first is being released; never one per call.
    expect(sockets.size).toBeLessThanOrEqual(2);
    await client.close();
  });

  it('reserves tokens for tpm and gives back what the answer did not use', async () => {
    const limits = createInMemorySharedLimits();
    const client = createProviderClient({ limits });
    const p = provider({ limits: { tokensPerMinute: 1_000 } });
    await client.chat(p, 'm', { ...request, max_tokens: 500 }); // reserves ~505, uses 4
    await client.chat(p, 'm', { ...request, max_tokens: 900 }); // fits only if the rest came back
    // 8 tokens used so far; this one reserves ~1,000 (prompt estimate + max_tokens).
    const err = await client.chat(p, 'm', { ...request, max_tokens: 995 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, code: 'provider_rate_limited' });
    const tooBig = await client
      .chat(p, 'm', { ...request, max_tokens: 2_000 })
      .catch((e: unknown) => e);
    expect(tooBig).toMatchObject({ status: 400, param: 'max_tokens' });
    expect(requests).toBe(2);
    await client.close();
  });

  it('enforces the spec rpm across two replicas sharing Redis', async () => {
    const a = createRedisSharedLimits(redis.url, { prefix: 'rpm-test' });
    const b = createRedisSharedLimits(redis.url, { prefix: 'rpm-test' });
    const replicas = [createProviderClient({ limits: a }), createProviderClient({ limits: b })];
    const p = provider({ limits: { requestsPerMinute: 3 } });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        replicas[i % 2]!.chat(p, 'm', request).then(
          () => 'ok',
          (e: unknown) => e,
        ),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(3);
    const refused = results.filter((r) => r !== 'ok');
    expect(
      refused.every(
        (e) => e instanceof ProviderError && e.status === 429 && e.code === 'provider_rate_limited',
      ),
    ).toBe(true);
    expect(requests).toBe(3);
    await Promise.all(replicas.map((c) => c.close()));
    await a.close();
    await b.close();
  });

  it('shares a 429 cooldown across replicas through Redis', async () => {
    const a = createRedisSharedLimits(redis.url, { prefix: 'cd-test' });
    const b = createRedisSharedLimits(redis.url, { prefix: 'cd-test' });
    const one = createProviderClient({ limits: a });
    const two = createProviderClient({ limits: b });
    const p = provider();
    script = [status(429, { 'retry-after': '30' })];
    await one.chat(p, 'm', request).catch(() => undefined);
    const err = await two.chat(p, 'm', request).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, code: 'provider_cooling_down' });
    expect(requests).toBe(1);
    await Promise.all([one.close(), two.close(), a.close(), b.close()]);
  });
});
