export * from './api-key.js';
export * from './redis-key-store.js';
export * from './auth-script.js';
export * from './key-authenticator.js';
export * from './check-scope.js';
export * from './key-id-pattern.js';
