export * from './judge-labels.js';
export * from './judge-answer.js';
