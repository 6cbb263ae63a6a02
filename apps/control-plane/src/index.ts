export * from './serve.js';
export * from './cli/parse-serve-args.js';
export * from './config/serve-config.js';
export * from './roles/role.js';
export * from './roles/role-modules.js';
export * from './roles/controller-role.js';
export * from './ops/start-ops-server.js';
export * from './config/load-gpu-profiles.js';
