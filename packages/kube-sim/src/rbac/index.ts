export * from './authenticate.js';
export * from './authorize.js';
export * from './rbac-plugin.js';
export * from './rbac-resources.js';
export * from './service-account-tokens.js';
