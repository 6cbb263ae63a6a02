import { describe, expect, it } from 'vitest';
import type { UsageRecord } from '../metering/usage-record.js';
import { createAccessLog, type AccessLogOptions } from './access-log.js';

const record = (status: number, i: number): UsageRecord => ({
  key: 'key_0123456789abcdef',
  route: 'chat',
  target: 'small',
  targetKind: 'model',
  reason: 'priority',
  status,
  promptTokens: 3,
  completionTokens: 5,
  latencyMs: 12.345,
  overheadMs: 0.5,
  costUSD: 0,
  at: 0,
  requestId: `req_${i}`,
  tenant: 'team-a',
  endpoint: '/v1/chat/completions',
});

function collect(options: Omit<AccessLogOptions, 'write'>) {
  const writes: string[] = [];
  const log = createAccessLog({ ...options, write: (t) => writes.push(t) });
  const lines = () =>
    writes
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, writes, lines };
}

describe('access log', () => {
  it('buffers the lines of one turn into one write, after the turn', async () => {
    const { log, writes, lines } = collect({});
    for (let i = 0; i < 3; i++) log.record(record(200, i));
    expect(writes).toHaveLength(0);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    expect(lines().map((l) => l.requestId)).toEqual(['req_0', 'req_1', 'req_2']);
    expect(lines()[0]).toMatchObject({
      msg: 'access',
      keyId: 'key_0123456789abcdef',
      tenant: 'team-a',
      latencyMs: 12.35,
    });
  });

  it('samples successes only: every error is logged', () => {
    let n = 0;
    // A deterministic "random": 0, 0.25, 0.5, 0.75, 0, ...
    const { log, lines } = collect({ sample: 0.5, random: () => (n++ % 4) / 4 });
    for (let i = 0; i < 8; i++) log.record(record(200, i));
    for (let i = 8; i < 11; i++) log.record(record(i === 8 ? 401 : 503, i));
    log.flush();
    const statuses = lines().map((l) => l.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.filter((s) => s !== 200)).toEqual([401, 503, 503]);
  });

  it('writes the prompt only when prompts are enabled', () => {
    const off = collect({});
    off.log.record(record(200, 1), 'secret prompt');
    off.log.flush();
    expect(JSON.stringify(off.lines())).not.toContain('secret prompt');
    expect(off.log.prompts).toBe(false);
    const on = collect({ prompts: true });
    on.log.record(record(200, 1), 'secret prompt');
    on.log.flush();
    expect(on.lines()[0]!.prompt).toBe('secret prompt');
  });
});
