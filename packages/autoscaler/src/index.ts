// Autoscaler: the pure scaling policy and its loop (injected ports). No I/O imports here;
// Kubernetes, Redis and Prometheus adapters live in '@bascule/autoscaler/io'.
export * from './policy/scaling-settings.js';
export * from './policy/scaling-input.js';
export * from './policy/slo-signals.js';
export * from './policy/scaler-state.js';
export * from './policy/scale-decision.js';
export * from './policy/cap-to-free-gpus.js';
export * from './policy/decide-scale.js';
export * from './policy/run-curve.js';
export * from './keys/redis-keys.js';
export * from './loop/autoscaler-ports.js';
export * from './loop/decision-event.js';
export * from './loop/autoscaler-loop.js';
