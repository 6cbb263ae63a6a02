// Simulators: test and demo harnesses. Production code never imports this package.
export * from './engine/index.js';
export * from './provider/index.js';
export * from './kube/index.js';
