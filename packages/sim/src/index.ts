// Simulators: test and demo harnesses. Production code never imports this package.
export * from './engine/index.js';
export * from './provider/index.js';
export * from './kube/index.js';
export * from './redis/ping-redis.js';
export * from './judge/index.js';
