export * from './learning-scorer.js';
export * from './weights-store.js';
export * from './outcome-store.js';
export * from './shadow-spend.js';
export * from './learned-scorers.js';
export * from './learning-hook.js';
export * from './apply-outcome.js';
export * from './answer-text.js';
