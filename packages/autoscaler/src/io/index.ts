// I/O adapters of the autoscaler loop: Kubernetes (Models, scale subresource, Events), engine
// /metrics scraping, Redis (gateways' counts, policy state) and Prometheus metrics.
export * from './kube-model-source.js';
export * from './kube-scale-writer.js';
export * from './kube-event-recorder.js';
export * from './kube-shortfall-publisher.js';
export * from './scrape-engine-load.js';
export * from './redis-load-source.js';
export * from './prom-autoscaler-metrics.js';
export * from './create-kube-autoscaler.js';
export * from './read-latency-counters.js';
