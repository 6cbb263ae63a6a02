export * from './api-key.js';
export * from './redis-key-store.js';
export * from './admit-script.js';
export * from './key-authenticator.js';
