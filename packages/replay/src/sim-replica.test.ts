import { describe, expect, it } from 'vitest';
import { EventClock } from './event-clock.js';
import { parseMooncakeJsonl } from './load-trace-file.js';
import { buildScenario } from './replay-scenario.js';
import { replicaStepBudget, SimReplica } from './sim-replica.js';

describe('SimReplica: the replay runs the engine scheduler with the trace prefix hashes', () => {
  it('reads Mooncake hash_ids and rejects bad ones by line', () => {
    const text =
      '{"timestamp": 5, "input_length": 1024, "output_length": 2, "hash_ids": [7, 8]}\n' +
      '{"timestamp": 0, "input_length": 10, "output_length": 1}\n';
    expect(parseMooncakeJsonl(text)).toEqual([
      { at: 0, promptTokens: 10, outputTokens: 1 },
      { at: 5, promptTokens: 1024, outputTokens: 2, hashIds: [7, 8] },
    ]);
    expect(() =>
      parseMooncakeJsonl(
        '{"timestamp": 1, "input_length": 1, "output_length": 1, "hash_ids": "x"}\n',
        'm.jsonl',
      ),
    ).toThrow(/m\.jsonl:1: hash_ids must be an array of integers/);
  });

  it("gets prefix-cache hits for requests sharing leading hash_ids, and uses the engine's budget", () => {
    const scenario = buildScenario({}); // vLLM on an A100
    expect(replicaStepBudget(scenario)).toBe(2048);
    expect(replicaStepBudget(buildScenario({ gpu: 'h100' }))).toBe(8192);
    const clock = new EventClock();
    const rep = new SimReplica(0, 0, scenario, clock);
    const firstTokens: number[] = [];
    const send = (hashIds: number[], at: number) =>
      clock.at(at, () =>
        rep.submit({
          promptTokens: 3000,
          outputTokens: 2,
          hashIds,
          onToken: (n) => {
            if (n === 1) firstTokens.push(clock.now() - at);
          },
        }),
      );
    send([1, 2, 3, 4, 5, 6], 0); // 6 x 512 tokens cover the 3,000-token prompt
    send([1, 2, 3, 4, 90, 91], 10_000); // shares the first 2,048 tokens
    clock.runUntil(60_000);
    expect(rep.cacheStats()).toEqual({ prefixQueries: 6000, prefixHits: 2048, preemptions: 0 });
    expect(firstTokens[1]!).toBeLessThan(firstTokens[0]! / 2);
  });
});
