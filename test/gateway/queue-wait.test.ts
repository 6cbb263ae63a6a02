import type { RunningEngine } from '@bascule/engine-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelResource, routeResource } from './support/fixtures.js';
import { startEngine, startTestGateway, type TestGateway } from './support/harness.js';

// Waiting for a slot is bounded by the Route's maxQueueWait, not by how often the waiter is woken:
// every freed slot wakes every waiter of the Model, so a request far back in a long queue is woken
// many more times than the gateway's attempt limit before its turn comes.
describe('queue wait', () => {
  let engine: RunningEngine;
  let gw: TestGateway;
  const QUEUED = 24;

  beforeAll(async () => {
    engine = await startEngine({ served: 'one', outputTokens: 'fixed:4' });
    gw = await startTestGateway({
      models: [modelResource('one', { servedNames: ['one'], maxConcurrency: 1 })],
      routes: [
        routeResource('private', {
          targets: [{ model: 'one' }],
          allowExternal: false,
          fallback: { maxQueueWait: '60s' },
        }),
      ],
      endpoints: { one: [engine] },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await engine?.close();
  });

  it('serves a queue longer than the attempt limit, one slot at a time, within maxQueueWait', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: QUEUED }, (_, i) =>
        gw.client.chat.completions
          .create(
            { model: 'private', messages: [{ role: 'user', content: `q${i}` }], max_tokens: 4 },
            { timeout: 60_000 },
          )
          .withResponse()
          .then(
            ({ response }) => `${response.status} ${response.headers.get('x-bascule-target')}`,
            (err: Error) => err.message,
          ),
      ),
    );
    expect(outcomes).toEqual(outcomes.map(() => '200 one'));
  }, 90_000);
});
