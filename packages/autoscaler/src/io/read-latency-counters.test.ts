import { parsePrometheusText, TGI_METRICS, VLLM_METRICS } from '@bascule/engines';
import { describe, expect, it } from 'vitest';
import { readLatencyCounters, readTokenCounters } from './read-latency-counters.js';

const vllm = `
# TYPE vllm:time_to_first_token_seconds histogram
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.5",model_name="m"} 40
vllm:time_to_first_token_seconds_bucket{engine="0",le="1.0",model_name="m"} 70
vllm:time_to_first_token_seconds_bucket{engine="0",le="2.5",model_name="m"} 90
vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="m"} 100
vllm:time_to_first_token_seconds_count{engine="0",model_name="m"} 100
vllm:time_to_first_token_seconds_sum{engine="0",model_name="m"} 95.5
vllm:time_to_first_token_seconds_bucket{engine="1",le="1.0",model_name="m"} 5
vllm:time_to_first_token_seconds_bucket{engine="1",le="+Inf",model_name="m"} 10
vllm:time_to_first_token_seconds_count{engine="1",model_name="m"} 10
vllm:request_queue_time_seconds_count{engine="0",model_name="m"} 110
vllm:request_queue_time_seconds_sum{engine="0",model_name="m"} 22
`;

describe('readLatencyCounters', () => {
  it('counts first tokens within the objective from the largest bucket under it, over engines', () => {
    const c = readLatencyCounters(parsePrometheusText(vllm), VLLM_METRICS, 2)!;
    // The 2 s objective falls between buckets: 1.0 is the largest at or under it.
    expect(c).toEqual({ ttftCount: 110, ttftWithinSlo: 75, queueCount: 110, queueSecondsSum: 22 });
    expect(readLatencyCounters(parsePrometheusText(vllm), VLLM_METRICS, 2.5)!.ttftWithinSlo).toBe(
      90,
    );
  });

  it('uses the queue histogram for TGI, which has no TTFT histogram', () => {
    const text = `
tgi_request_queue_duration_bucket{le="0.5"} 8
tgi_request_queue_duration_bucket{le="+Inf"} 10
tgi_request_queue_duration_count 10
tgi_request_queue_duration_sum 4
`;
    expect(readLatencyCounters(parsePrometheusText(text), TGI_METRICS, 1)).toEqual({
      ttftCount: 10,
      ttftWithinSlo: 8,
      queueCount: 10,
      queueSecondsSum: 4,
    });
  });

  it('is undefined for an engine without the histograms', () => {
    expect(
      readLatencyCounters(parsePrometheusText('vllm:num_requests_running 2\n'), VLLM_METRICS, 2),
    ).toBeUndefined();
  });
});

describe('readTokenCounters', () => {
  it("sums vLLM's prompt and generation token counters over engines", () => {
    const text = `
vllm:prompt_tokens_total{engine="0",model_name="m"} 1.5e+06
vllm:prompt_tokens_total{engine="1",model_name="m"} 500000
vllm:generation_tokens_total{engine="0",model_name="m"} 40000
`;
    expect(readTokenCounters(parsePrometheusText(text), 'vllm')).toEqual({
      promptTokens: 2_000_000,
      generationTokens: 40_000,
    });
  });

  it("reads TGI's input-length and generated-tokens histogram sums; undefined when absent", () => {
    const text = `
tgi_request_input_length_sum 12000
tgi_request_input_length_count 10
tgi_request_generated_tokens_sum 900
`;
    expect(readTokenCounters(parsePrometheusText(text), 'tgi')).toEqual({
      promptTokens: 12_000,
      generationTokens: 900,
    });
    expect(
      readTokenCounters(parsePrometheusText('vllm:num_requests_running 2\n'), 'vllm'),
    ).toBeUndefined();
  });
});
