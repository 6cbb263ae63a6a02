import { keyMaxCostKey } from '@bascule/keyspace';
import { waitFor } from '@bascule/test-support';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import {
  createKeyAuthenticator,
  createRedisClient,
  createRedisKeyStore,
  type KeyStore,
  type Redis,
} from '@bascule/gateway';
import { startProviderSim, type RunningProviderSim } from '@bascule/provider-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_KEY } from '../gateway/support/fixtures.js';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';

const SCRIPT = fileURLToPath(new URL('./support/gateway-replica.ts', import.meta.url));
const NOW = Date.now();

/** Two gateway processes sharing one redis-server: revocation, rpm and budget across replicas. */
describe('API keys across two gateway processes', () => {
  let redisServer: RunningRedisServer;
  let redis: Redis;
  let provider: RunningProviderSim;
  let keys: KeyStore;
  const children: ChildProcess[] = [];
  const urls: string[] = [];

  async function startReplica(): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions', 'source', SCRIPT], {
      env: {
        ...process.env,
        REDIS_URL: redisServer.url,
        PROVIDER_URL: provider.url,
        NOW: String(NOW),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(
      'gateway replica',
      () => out.includes('\n') || child.exitCode !== null,
      90_000,
      10,
    );
    return (JSON.parse(out.split('\n')[0]!) as { url: string }).url;
  }

  const chat = (url: string, key: string) =>
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'hello there' }],
      }),
    });

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = createRedisClient(redisServer.url);
    keys = createRedisKeyStore(redis);
    provider = await startProviderSim({
      type: 'openai',
      apiKey: SIM_KEY,
      seed: 1,
      outputTokens: { min: 10, max: 10 },
    });
    urls.push(...(await Promise.all([startReplica(), startReplica()])));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(
      children.map(async (c) => {
        if (c.exitCode !== null) return;
        c.kill('SIGTERM');
        await once(c, 'exit');
      }),
    );
    redis?.disconnect();
    await provider?.close();
    await redisServer?.stop();
  });

  it('a revoked key is refused at once on every replica', async () => {
    const { key, info } = await keys.create({ name: 'soon-revoked', tenant: 'a' });
    for (const url of urls) expect((await chat(url, key)).status).toBe(200);
    expect(await keys.revoke(info.id)).toBe(true);
    for (const url of urls) {
      const res = await chat(url, key);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'invalid_api_key',
      );
    }
  });

  it('rpm holds under concurrent requests from both replicas (exactly the limit passes)', async () => {
    const rpm = 15;
    const { key } = await keys.create({ name: 'limited', tenant: 'a', rpm });
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        chat(urls[i % 2]!, key).then(async (r) => {
          if (r.status === 429) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
          await r.body?.cancel();
          return r.status;
        }),
      ),
    );
    const passed = statuses.filter((s) => s === 200).length;
    const limited = statuses.filter((s) => s === 429).length;
    process.stdout.write(
      `rpm ${rpm}: ${passed} passed, ${limited} refused of 40 concurrent over 2 replicas\n`,
    );
    expect(passed).toBe(rpm);
    expect(limited).toBe(40 - rpm);
  });

  it('a budget holds under concurrent requests from both replicas (no more pass than sequential would)', async () => {
    // Learn the cost of one request (fixed prompt, fixed 10 output tokens) with a probe key.
    const probe = await keys.create({
      name: 'probe',
      tenant: 'b',
      budget: { usd: 1000, period: 'day' },
    });
    expect((await chat(urls[0]!, probe.key)).status).toBe(200);
    const costKey = keyMaxCostKey(probe.info.id);
    await waitFor(
      'probe cost settled',
      async () => Number(await redis.get(costKey)) > 0,
      10_000,
      10,
    );
    const cost = Number(await redis.get(costKey));
    // Budget for 10.5 requests: admitted while spent < budget, so 11 requests in all may pass.
    const { key, info } = await keys.create({
      name: 'budgeted',
      tenant: 'b',
      budget: { usd: cost * 10.5, period: 'day' },
    });
    expect((await chat(urls[1]!, key)).status).toBe(200); // warm-up: the key learns its cost
    await waitFor(
      'cost settled',
      async () => Number(await redis.get(keyMaxCostKey(info.id))) > 0,
      10_000,
      10,
    );
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        chat(urls[i % 2]!, key).then(async (r) => {
          if (r.status === 402) {
            const body = (await r.json()) as { error: { code: string; message: string } };
            expect(body.error.code).toBe('budget_exceeded');
            expect(body.error.message).toMatch(
              /budget of \$[\d.e-]+ for \d{4}-\d{2}-\d{2} is spent/,
            );
          } else await r.body?.cancel();
          return r.status;
        }),
      ),
    );
    const passed = 1 + statuses.filter((s) => s === 200).length;
    process.stdout.write(
      `budget for 10.5 requests: ${passed} passed in all (1 warm-up + burst of 40 over 2 replicas)\n`,
    );
    expect(passed).toBe(11);
    expect(statuses.filter((s) => s === 402).length).toBe(40 - 10);
  });

  it('the authenticator refuses missing, foreign and unknown keys with 401', async () => {
    const auth = createKeyAuthenticator({ redis });
    for (const h of [undefined, 'Basic abc', 'Bearer sk-123', 'Bearer bsc-unknown']) {
      await expect(
        auth.authenticate({ headers: h ? { authorization: h } : {} } as never),
      ).rejects.toMatchObject({ status: 401 });
    }
    for (const url of urls) expect((await fetch(`${url}/v1/models`)).status).toBe(401);
  });
});
