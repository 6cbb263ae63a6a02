// Trace replay: a discrete-event simulator running the real router and autoscaler policy in virtual time.
export * from './event-clock.js';
export * from './trace-request.js';
export * from './load-trace-file.js';
export * from './synthetic-trace.js';
export * from './replay-scenario.js';
export * from './replay-policy.js';
export * from './sim-replica.js';
export * from './simulate-policy.js';
export * from './summarize-run.js';
export * from './size-fixed.js';
export * from './replay-series.js';
export * from './run-replay.js';
export * from './format-replay-table.js';
export * from './render-replay-svg.js';
export * from './synthetic-shapes.js';
export * from './replay-goal.js';
export * from './seed-interval.js';
