import { describe, expect, it } from 'vitest';
import { buildScenario } from './replay-scenario.js';
import { simulatePolicy } from './simulate-policy.js';
import { summarizeRun } from './summarize-run.js';
import { shapeTrace } from './synthetic-shapes.js';

describe('replay load balancing (the gateway picker)', () => {
  const scenario = buildScenario();
  const trace = shapeTrace('long-prompt', { rate: 1.5, durationMs: 15 * 60_000, seed: 4 });
  const run = (strategy: 'least-outstanding' | 'prefix-affinity', prefixLength = 256) =>
    summarizeRun(
      scenario,
      simulatePolicy(
        scenario,
        trace,
        { kind: 'fixed', name: 'f', replicas: 3 },
        { loadBalancing: { strategy, prefixLength, loadFactor: 1.25 } },
      ),
    );

  it('prefix affinity keeps a conversation on the replica that holds its prefix: more cache hits', () => {
    const least = run('least-outstanding');
    const affinity = run('prefix-affinity', 32_768);
    expect(least.prefixHitRate).toBeGreaterThan(0);
    expect(affinity.prefixHitRate).toBeGreaterThan(least.prefixHitRate);
    // Bounded load: affinity does not starve replicas into overflow.
    expect(affinity.overflowShare).toBeLessThanOrEqual(least.overflowShare + 0.01);
    expect(affinity.requests).toBe(least.requests);
  });
});
