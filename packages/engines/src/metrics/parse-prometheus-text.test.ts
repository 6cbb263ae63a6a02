import { describe, expect, it } from 'vitest';
import { maxMetric, parsePrometheusText, sumMetric } from './parse-prometheus-text.js';
import { readVllmLoad } from '../vllm/read-vllm-load.js';
import { readTgiLoad } from '../tgi/read-tgi-load.js';

// Shaped like vLLM v0.11's /metrics (prometheus_client, one series per engine).
const VLLM_TEXT = `# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="Qwen/Qwen3-32B"} 7.0
vllm:num_requests_running{engine="1",model_name="Qwen/Qwen3-32B"} 5.0
# HELP vllm:num_requests_waiting Number of requests waiting to be processed.
# TYPE vllm:num_requests_waiting gauge
vllm:num_requests_waiting{engine="0",model_name="Qwen/Qwen3-32B"} 2.0
vllm:num_requests_waiting{engine="1",model_name="Qwen/Qwen3-32B"} 0.0
# TYPE vllm:kv_cache_usage_perc gauge
vllm:kv_cache_usage_perc{engine="0",model_name="Qwen/Qwen3-32B"} 0.25
vllm:kv_cache_usage_perc{engine="1",model_name="Qwen/Qwen3-32B"} 0.5
vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="a \\"quoted\\" name"} 12.0
vllm:prompt_tokens_total{engine="0",model_name="Qwen/Qwen3-32B"} 1.234e+06
`;

// Shaped like TGI 3.x's /metrics (metrics-exporter-prometheus, no labels on gauges).
const TGI_TEXT = `# TYPE tgi_queue_size gauge
tgi_queue_size 4
# TYPE tgi_batch_current_size gauge
tgi_batch_current_size 16
# TYPE tgi_batch_current_max_tokens gauge
tgi_batch_current_max_tokens 12000
tgi_request_duration_bucket{le="0.00015"} 0
`;

describe('parsePrometheusText', () => {
  it('reads names, labels (unescaped) and values, skipping comments', () => {
    const samples = parsePrometheusText(VLLM_TEXT);
    expect(samples).toHaveLength(8);
    expect(samples[0]).toEqual({
      name: 'vllm:num_requests_running',
      labels: { engine: '0', model_name: 'Qwen/Qwen3-32B' },
      value: 7,
    });
    expect(samples[6]!.labels).toEqual({ engine: '0', le: '+Inf', model_name: 'a "quoted" name' });
    expect(samples[7]!.value).toBe(1_234_000);
  });

  it('ignores malformed lines and reads special values', () => {
    const samples = parsePrometheusText(
      'good 1\nbad{x=1} 2\nnan NaN\ninf +Inf\nts 3 1700000000\n{} 4\n',
    );
    expect(samples.map((s) => s.name)).toEqual(['good', 'nan', 'inf', 'ts']);
    expect(samples[2]!.value).toBe(Infinity);
    expect(samples[3]!.value).toBe(3);
    expect(sumMetric(samples, 'nan')).toBeUndefined();
    expect(maxMetric(samples, 'missing')).toBeUndefined();
  });
});

describe('engine load readers', () => {
  it('vLLM: sums running and waiting over engines, KV usage of the fullest engine', () => {
    expect(readVllmLoad(parsePrometheusText(VLLM_TEXT))).toEqual({
      running: 12,
      waiting: 2,
      kvCacheUsage: 0.5,
    });
  });

  it('vLLM: falls back to the pre-v0.10 KV gauge name', () => {
    const load = readVllmLoad(
      parsePrometheusText('vllm:gpu_cache_usage_perc{model_name="m"} 0.75\n'),
    );
    expect(load).toEqual({ running: 0, waiting: 0, kvCacheUsage: 0.75 });
  });

  it('TGI: batch size and queue; KV usage only with the batch token budget', () => {
    const samples = parsePrometheusText(TGI_TEXT);
    expect(readTgiLoad(samples)).toEqual({ running: 16, waiting: 4 });
    expect(readTgiLoad(samples, { maxBatchTotalTokens: 48_000 })).toEqual({
      running: 16,
      waiting: 4,
      kvCacheUsage: 0.25,
    });
  });
});
