export type * from './store/types.js';
export * from './store/index.js';
