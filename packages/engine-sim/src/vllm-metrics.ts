import type { SchedulerStats } from './batch-scheduler.js';
import { buckets125, type EngineMetrics, type RequestRecord } from './engine-metrics.js';
import { Counter, Gauge, Histogram, PrometheusRegistry } from './prometheus-registry.js';

// Names, help texts, labels and buckets follow vLLM v0.11 (vllm/v1/metrics/loggers.py,
// PrometheusStatLogger; every series labelled model_name and engine, request_success also
// finished_reason). vllm:inter_token_latency_seconds is the v0.11 name of the per-token gap;
// vllm:time_per_output_token_seconds is still exported with the same samples.
const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0,
  40.0, 80.0, 160.0, 640.0, 2560.0,
];
const ITL_BUCKETS = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0,
  40.0, 80.0,
];
const LATENCY_BUCKETS = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0,
  480.0, 960.0, 1920.0, 7680.0,
];

export function createVllmMetrics(
  modelName: string,
  maxModelLen: number,
  kvBlocks: number,
  /** --max-loras when LoRA is enabled: vllm:lora_requests_info is exported only then. */
  maxLoras?: number,
): EngineMetrics & { registry: PrometheusRegistry } {
  const registry = new PrometheusRegistry('python');
  const labels = { model_name: modelName, engine: '0' };
  let stats: Pick<
    SchedulerStats,
    'running' | 'waiting' | 'kvCacheUsage' | 'runningLoras' | 'waitingLoras'
  > = {
    running: 0,
    waiting: 0,
    kvCacheUsage: 0,
    runningLoras: [],
    waitingLoras: [],
  };
  if (maxLoras !== undefined) {
    // vLLM's PrometheusStatLogger with a LoRA config: one sample whose labels are the adapters
    // running and waiting (comma-joined) and max_lora, set to the time of the last update.
    registry.add(
      new Gauge('vllm:lora_requests_info', 'Running stats on lora requests.', () => [
        {
          labels: {
            max_lora: String(maxLoras),
            running_lora_adapters: stats.runningLoras.join(','),
            waiting_lora_adapters: stats.waitingLoras.join(','),
          },
          value: Date.now() / 1000,
        },
      ]),
    );
  }
  registry.add(
    new Gauge('vllm:num_requests_running', 'Number of requests in model execution batches.', () => [
      { labels, value: stats.running },
    ]),
  );
  registry.add(
    new Gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.', () => [
      { labels, value: stats.waiting },
    ]),
  );
  registry.add(
    new Gauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', () => [
      // blocks held by running requests / all blocks: cached blocks nobody holds count as free
      { labels, value: stats.kvCacheUsage },
    ]),
  );
  registry.add(
    new Gauge('vllm:cache_config_info', 'Information of the LLMEngine CacheConfig', () => [
      {
        labels: {
          block_size: '16',
          engine: '0',
          gpu_memory_utilization: '',
          num_gpu_blocks: String(kvBlocks),
        },
        value: 1,
      },
    ]),
  );
  const preemptions = registry.add(
    new Counter('vllm:num_preemptions', 'Cumulative number of preemption from the engine.'),
  );
  preemptions.inc(labels, 0);
  // token counts, as vLLM V1's KV cache manager records them (queries: the tokens of each
  // admitted request; hits: those found in the prefix cache)
  const prefixQueries = registry.add(
    new Counter(
      'vllm:prefix_cache_queries',
      'Prefix cache queries, in terms of number of queried tokens.',
    ),
  );
  const prefixHits = registry.add(
    new Counter(
      'vllm:prefix_cache_hits',
      'Prefix cache hits, in terms of number of cached tokens.',
    ),
  );
  prefixQueries.inc(labels, 0);
  prefixHits.inc(labels, 0);
  // the scheduler keeps the running totals; a scrape brings the counters up to them
  const catchUp = (c: Counter, total: number) => {
    const delta = total - c.get(labels);
    if (delta > 0) c.inc(labels, delta);
  };
  const promptTokens = registry.add(
    new Counter('vllm:prompt_tokens', 'Number of prefill tokens processed.'),
  );
  const generationTokens = registry.add(
    new Counter('vllm:generation_tokens', 'Number of generation tokens processed.'),
  );
  promptTokens.inc(labels, 0);
  generationTokens.inc(labels, 0);
  const success = registry.add(
    new Counter('vllm:request_success', 'Count of successfully processed requests.'),
  );
  for (const reason of ['stop', 'length', 'abort'])
    success.inc({ ...labels, finished_reason: reason }, 0);
  const lenBuckets = buckets125(maxModelLen);
  const promptHist = registry.add(
    new Histogram('vllm:request_prompt_tokens', 'Number of prefill tokens processed.', lenBuckets),
  );
  const genHist = registry.add(
    new Histogram(
      'vllm:request_generation_tokens',
      'Number of generation tokens processed.',
      lenBuckets,
    ),
  );
  const maxTokensHist = registry.add(
    new Histogram(
      'vllm:request_params_max_tokens',
      'Histogram of the max_tokens request parameter.',
      lenBuckets,
    ),
  );
  const ttft = registry.add(
    new Histogram(
      'vllm:time_to_first_token_seconds',
      'Histogram of time to first token in seconds.',
      TTFT_BUCKETS,
    ),
  );
  const itl = registry.add(
    new Histogram(
      'vllm:inter_token_latency_seconds',
      'Histogram of inter-token latency in seconds.',
      ITL_BUCKETS,
    ),
  );
  const tpot = registry.add(
    new Histogram(
      'vllm:time_per_output_token_seconds',
      'Histogram of time per output token in seconds.',
      ITL_BUCKETS,
    ),
  );
  const e2e = registry.add(
    new Histogram(
      'vllm:e2e_request_latency_seconds',
      'Histogram of e2e request latency in seconds.',
      LATENCY_BUCKETS,
    ),
  );
  const queue = registry.add(
    new Histogram(
      'vllm:request_queue_time_seconds',
      'Histogram of time spent in WAITING phase for request.',
      LATENCY_BUCKETS,
    ),
  );
  const inference = registry.add(
    new Histogram(
      'vllm:request_inference_time_seconds',
      'Histogram of time spent in RUNNING phase for request.',
      LATENCY_BUCKETS,
    ),
  );

  return {
    registry,
    requestReceived() {},
    requestFailed() {},
    requestFinished(r: RequestRecord) {
      promptTokens.inc(labels, r.promptTokens);
      generationTokens.inc(labels, r.generationTokens);
      success.inc({ ...labels, finished_reason: r.finishReason });
      if (r.generationTokens > 0) ttft.observe(labels, r.ttftSeconds);
      for (const gap of r.interTokenSeconds) {
        itl.observe(labels, gap);
        tpot.observe(labels, gap);
      }
      e2e.observe(labels, r.e2eSeconds);
      queue.observe(labels, r.queueSeconds);
      inference.observe(labels, Math.max(0, r.e2eSeconds - r.queueSeconds));
      promptHist.observe(labels, r.promptTokens);
      genHist.observe(labels, r.generationTokens);
      maxTokensHist.observe(labels, r.maxTokens);
    },
    render(s: SchedulerStats) {
      stats = s;
      catchUp(preemptions, s.preemptions);
      catchUp(prefixQueries, s.prefixQueries);
      catchUp(prefixHits, s.prefixHits);
      return registry.render();
    },
  };
}
