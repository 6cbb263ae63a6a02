import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from './gateway-metrics.js';
import type { UsageRecord } from './usage-record.js';

const record = (over: Partial<UsageRecord>): UsageRecord => ({
  key: 'key_a',
  route: 'chat',
  target: 'llama',
  targetKind: 'model',
  reason: 'simple',
  status: 200,
  promptTokens: 12,
  completionTokens: 7,
  latencyMs: 120,
  overheadMs: 0.3,
  costUSD: 0.001,
  at: 0,
  ...over,
});

describe('GatewayMetrics', () => {
  it('sums requests, tokens and cost per label set and exposes each under its own labels', async () => {
    const m = new GatewayMetrics(() => new Map());
    m.record(record({}));
    m.record(record({}));
    m.record(record({ target: 'gpt-5', targetKind: 'provider', reason: 'overflow:saturated' }));
    m.record(record({ status: 503, promptTokens: 0, completionTokens: 0, costUSD: 0 }));
    const text = await m.registry.metrics();
    expect(text).toContain(
      'bascule_gateway_requests_total{route="chat",target="llama",reason="simple",code="200"} 2',
    );
    expect(text).toContain(
      'bascule_gateway_requests_total{route="chat",target="llama",reason="simple",code="503"} 1',
    );
    expect(text).toContain(
      'bascule_gateway_requests_total{route="chat",target="gpt-5",reason="overflow:saturated",code="200"} 1',
    );
    expect(text).toContain(
      'bascule_gateway_tokens_total{route="chat",target="llama",direction="input"} 24',
    );
    expect(text).toContain(
      'bascule_gateway_tokens_total{route="chat",target="llama",direction="output"} 14',
    );
    expect(text).toContain(
      'bascule_gateway_cost_usd_total{route="chat",target="llama",kind="model"} 0.002',
    );
    expect(text).toContain(
      'bascule_gateway_cost_usd_total{route="chat",target="gpt-5",kind="provider"} 0.001',
    );
    expect(text).toContain('bascule_gateway_request_duration_seconds_count{target="llama"} 3');
    // a second scrape adds only what came since
    m.record(record({}));
    expect(await m.registry.metrics()).toContain(
      'bascule_gateway_requests_total{route="chat",target="llama",reason="simple",code="200"} 3',
    );
  });

  it('keeps counting a label set after the pending sets were dropped for being too many', async () => {
    const m = new GatewayMetrics(() => new Map());
    for (let i = 0; i <= 10_000; i++) m.record(record({ route: `r${i}` }));
    await m.registry.metrics(); // more than 10,000 label sets: dropped once drained
    m.record(record({ route: 'r10000' }));
    m.record(record({ route: 'r10000' }));
    expect(await m.registry.metrics()).toContain(
      'bascule_gateway_requests_total{route="r10000",target="llama",reason="simple",code="200"} 3',
    );
  });
});
