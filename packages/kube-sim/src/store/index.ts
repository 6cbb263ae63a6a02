export type * from './types.js';
export * from './status-error.js';
export * from './resource-type.js';
export * from './resource-registry.js';
export * from './builtin-resources.js';
export * from './label-selector.js';
export * from './field-selector.js';
export * from './memory-store.js';
export * from './store-options.js';
export * from './object-matcher.js';
export * from './write-rules.js';
export * from './store-plugin.js';
export * from './watch-hub.js';
export {
  cloneJson,
  deepEqual,
  formatTimestamp,
  formatMicroTime,
  getDotted,
  setDotted,
} from './object-utils.js';
export * from './create-store.js';
export * from './known-fields-plugin.js';
export * from './scale-subresource.js';
export * from './store-snapshot.js';
export * from './state-file.js';
export * from './persist-store.js';
export * from './persisted-resources.js';
