// Keys never appear in logs or errors: capture everything a failing call logs and search it.
import {
  createProviderClient,
  createInMemorySharedLimits,
  ProviderError,
  type Logger,
} from '@bascule/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, TARGET_TYPES, TEST_KEY, type Target } from './support/targets.js';

function capturingLogger(lines: string[]): Logger {
  const log = (level: string) => (obj: Record<string, unknown>, msg: string) => {
    lines.push(JSON.stringify({ level, msg, ...obj }));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn') };
}

function everythingAbout(err: unknown): string {
  const e = err as ProviderError;
  return [
    String(e),
    e.message,
    e.stack ?? '',
    JSON.stringify(e),
    JSON.stringify(e.toOpenAIError()),
    String(e.cause),
  ].join('\n');
}

describe.each(TARGET_TYPES)('no key in logs or errors: %s', (type) => {
  let t: Target;
  beforeAll(async () => {
    t = await startTarget(type);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['a rejected key (401)', 'sk-live-WRONG-9d8c7b6a5f4e', {}],
    ['retried 500s', TEST_KEY, { errorRate: 1, status: 500 }],
    ['a 429', TEST_KEY, { rateLimitEvery: 1, retryAfterSeconds: 1 }],
    ['a timeout', TEST_KEY, { hangMs: 5_000 }],
  ] as const)('%s', async (_name, key, faults) => {
    const lines: string[] = [];
    const client = createProviderClient({
      logger: capturingLogger(lines),
      limits: createInMemorySharedLimits(),
      sleep: () => Promise.resolve(),
      retry: { maxRetries: 2, maxRetryAfterMs: 5_000 },
    });
    t.sim.setFaults(faults);
    try {
      const err = await client
        .chat(
          t.provider({ apiKey: key }),
          t.model,
          { model: 'r', messages: [{ role: 'user', content: 'hi' }] },
          { timeoutMs: 200 },
        )
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(lines.length).toBeGreaterThan(0);
      const logged = lines.join('\n');
      expect(logged).toContain('provider call failed');
      expect(logged).not.toContain(key);
      expect(everythingAbout(err)).not.toContain(key);
    } finally {
      t.sim.setFaults({});
      await client.close();
    }
  });
});
