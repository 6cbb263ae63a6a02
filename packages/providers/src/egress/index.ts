export * from './parse-ip.js';
export * from './classify-address.js';
export * from './egress-policy.js';
export * from './check-egress-url.js';
export * from './guarded-lookup.js';
