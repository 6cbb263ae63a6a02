// The controller's runtime adapter loading against real engine-sims speaking vLLM's adapter API
// (HTTP, no mocks): syncAdapters brings each ready replica to the declared set and reports what
// each one has; a refused load leaves the adapter out of that replica's list.
import { Writable } from 'node:stream';
import { createHttpLoraClient, syncAdapters } from '@bascule/controller';
import { startEngineSim, type RunningEngine } from '@bascule/engine-sim';
import type { ModelEndpoint } from '@bascule/spec';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BASE = 'meta-llama/Llama-3.1-8B-Instruct';
const ENV = { VLLM_ALLOW_RUNTIME_LORA_UPDATING: 'True' };

describe('syncAdapters against engine-sim', () => {
  let withLora: RunningEngine;
  let withoutLora: RunningEngine;
  const logs: string[] = [];
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString());
        done();
      },
    }),
  );

  beforeAll(async () => {
    const common = { port: 0, loadSeconds: 0, tokenizer: 'approx' as const, env: ENV };
    withLora = await startEngineSim({
      ...common,
      argv: [BASE, '--enable-lora', '--lora-load-seconds', '0.05', '--lora-modules', 'old=/a/old'],
    });
    withoutLora = await startEngineSim({ ...common, argv: [BASE] });
    await Promise.all([withLora.ready, withoutLora.ready]);
  });
  afterAll(async () => {
    await Promise.all([withLora.close(), withoutLora.close()]);
  });

  const endpoint = (pod: string, e: RunningEngine, ready = true): ModelEndpoint => ({
    pod,
    ip: e.host,
    port: e.port,
    ready,
  });

  it('loads the declared adapters, unloads the others, and reports each replica', async () => {
    const client = createHttpLoraClient();
    const wanted = [{ name: 'sql', ref: 'org/sql-lora' }];
    const out = await syncAdapters(
      [endpoint('a', withLora), endpoint('b', withoutLora), endpoint('c', withLora, false)],
      wanted,
      client,
      log,
    );
    expect(out).toEqual([
      { ...endpoint('a', withLora), adapters: ['sql'] },
      { ...endpoint('b', withoutLora), adapters: [] },
      endpoint('c', withLora, false),
    ]);
    expect(await client.list(withLora.url)).toEqual([{ name: 'sql', path: 'org/sql-lora' }]);
    expect(logs.join('')).toContain('LoRA is not enabled. Use --enable-lora to enable LoRA.');

    // a second pass changes nothing; a new path reloads; an empty set unloads
    const again = await syncAdapters([endpoint('a', withLora)], wanted, client, log);
    expect(again[0]!.adapters).toEqual(['sql']);
    await syncAdapters(
      [endpoint('a', withLora)],
      [{ name: 'sql', ref: 'org/sql-v2' }],
      client,
      log,
    );
    expect(await client.list(withLora.url)).toEqual([{ name: 'sql', path: 'org/sql-v2' }]);
    const cleared = await syncAdapters([endpoint('a', withLora)], [], client, log);
    expect(cleared[0]!.adapters).toEqual([]);
    expect(await client.list(withLora.url)).toEqual([]);
  });

  it('keeps what a replica it cannot read was last seen with', async () => {
    const dead: ModelEndpoint = { pod: 'd', ip: '127.0.0.1', port: 1, ready: true };
    const out = await syncAdapters(
      [dead],
      [{ name: 'sql', ref: 'org/sql-lora' }],
      createHttpLoraClient({ listTimeoutMs: 1000 }),
      log,
      [{ ...dead, adapters: ['sql'] }],
    );
    expect(out).toEqual([{ ...dead, adapters: ['sql'] }]);
  });
});
