import { rbacPlugin } from '../rbac/rbac-plugin.js';
import { rbacResources } from '../rbac/rbac-resources.js';
import { builtinValidationPlugin } from '../validation/builtin-validation-plugin.js';
import { crdPlugin } from './crd-plugin.js';
import { knownFieldsPlugin } from './known-fields-plugin.js';
import { MemoryStore } from './memory-store.js';
import type { StoreOptions } from './store-options.js';

/**
 * Creates kube-sim's in-memory object store with the built-in resources and CRD support
 * (applying a CustomResourceDefinition serves its resources, validated against its schema).
 */
export function createStore(options: StoreOptions = {}): MemoryStore {
  const store = new MemoryStore(options);
  store.use(knownFieldsPlugin());
  store.use(crdPlugin(store));
  store.use(builtinValidationPlugin());
  for (const type of rbacResources()) store.registry.add(type);
  store.use(rbacPlugin(store));
  return store;
}
