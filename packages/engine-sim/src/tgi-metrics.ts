import type { SchedulerStats } from './batch-scheduler.js';
import type { EngineMetrics, RequestRecord } from './engine-metrics.js';
import { KV_BLOCK_TOKENS } from './kv-capacity.js';
import { Counter, Gauge, Histogram, PrometheusRegistry } from './prometheus-registry.js';

// Names follow TGI 3.x (router/src/server.rs, router/src/infer/*): no labels except the
// failure counter's `err`; durations in seconds; counters without a _total suffix, as
// metrics-exporter-prometheus writes them. Duration buckets as TGI's main.rs builds them
// (35 buckets from 0.00015 s, ×1.5 each).
function durationBuckets(): number[] {
  const out: number[] = [];
  let v = 0.0001;
  for (let i = 0; i < 35; i++) out.push((v *= 1.5));
  return out;
}

function linearBuckets(max: number): number[] {
  const step = Math.max(1, Math.floor(max / 20));
  return Array.from({ length: 20 }, (_, i) => (i + 1) * step);
}

export function createTgiMetrics(
  maxInputTokens: number,
  maxTotalTokens: number,
): EngineMetrics & { registry: PrometheusRegistry } {
  const registry = new PrometheusRegistry('rust');
  let stats: Pick<SchedulerStats, 'running' | 'waiting' | 'kvUsedBlocks'> = {
    running: 0,
    waiting: 0,
    kvUsedBlocks: 0,
  };
  const count = registry.add(new Counter('tgi_request_count', 'Total number of requests'));
  const success = registry.add(
    new Counter('tgi_request_success', 'Total number of successful requests'),
  );
  const failure = registry.add(
    new Counter('tgi_request_failure', 'Total number of failed requests'),
  );
  count.inc({}, 0);
  success.inc({}, 0);
  registry.add(
    new Gauge('tgi_queue_size', 'Current queue size', () => [{ labels: {}, value: stats.waiting }]),
  );
  registry.add(
    new Gauge('tgi_batch_current_size', 'Current batch size', () => [
      { labels: {}, value: stats.running },
    ]),
  );
  registry.add(
    new Gauge('tgi_batch_current_max_tokens', 'Maximum tokens for the current batch', () => [
      // the batch's reserved tokens (prompt + output per request), in whole KV blocks
      { labels: {}, value: stats.kvUsedBlocks * KV_BLOCK_TOKENS },
    ]),
  );
  const dur = durationBuckets();
  const duration = registry.add(new Histogram('tgi_request_duration', 'Request duration', dur));
  const queue = registry.add(
    new Histogram('tgi_request_queue_duration', 'Time spent in the queue per request', dur),
  );
  const inference = registry.add(
    new Histogram('tgi_request_inference_duration', 'Request inference duration', dur),
  );
  const perToken = registry.add(
    new Histogram(
      'tgi_request_mean_time_per_token_duration',
      'Mean time per token per request',
      dur,
    ),
  );
  const generated = registry.add(
    new Histogram(
      'tgi_request_generated_tokens',
      'Generated tokens per request',
      linearBuckets(maxTotalTokens),
    ),
  );
  const input = registry.add(
    new Histogram(
      'tgi_request_input_length',
      'Input token length per request',
      linearBuckets(maxInputTokens),
    ),
  );
  const maxNew = registry.add(
    new Histogram(
      'tgi_request_max_new_tokens',
      'Maximum new tokens per request',
      linearBuckets(maxTotalTokens),
    ),
  );

  return {
    registry,
    requestReceived() {
      count.inc({});
    },
    requestFailed(kind: string) {
      failure.inc({ err: kind });
    },
    requestFinished(r: RequestRecord) {
      if (r.finishReason === 'abort') {
        failure.inc({ err: 'aborted' });
        return;
      }
      success.inc({});
      duration.observe({}, r.e2eSeconds);
      queue.observe({}, r.queueSeconds);
      const inf = Math.max(0, r.e2eSeconds - r.queueSeconds);
      inference.observe({}, inf);
      perToken.observe({}, r.generationTokens > 0 ? inf / r.generationTokens : 0);
      generated.observe({}, r.generationTokens);
      input.observe({}, r.promptTokens);
      maxNew.observe({}, r.maxTokens);
    },
    render(s: SchedulerStats) {
      stats = s;
      return registry.render();
    },
  };
}
