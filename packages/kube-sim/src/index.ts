export type * from './store/types.js';
export * from './store/index.js';
export * from './api/index.js';
export * from './cluster/index.js';
export * from './start-kube-sim.js';
