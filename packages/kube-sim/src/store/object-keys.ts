import { groupVersion, type ResourceType } from './resource-type.js';
import type { KubeObject, ResourceRef } from './types.js';

/** The built-in namespaces resource. */
export const NAMESPACES: ResourceRef = { group: '', version: 'v1', resource: 'namespaces' };

/** The key of a resource's table: `group/resource`. */
export function tableKey(type: ResourceType): string {
  return `${type.group}/${type.resource}`;
}

/** Splits a table key back into [group, resource]. */
export function splitTableKey(key: string): [string, string] {
  const i = key.lastIndexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** An object's key within its table: `namespace/name`, or `/name` when cluster-scoped. */
export function objectKey(type: ResourceType, namespace: string | undefined, name: string): string {
  return type.namespaced ? `${namespace || 'default'}/${name}` : `/${name}`;
}

/** The object as served at ref's version (CRDs may serve several versions of one storage). */
export function present(type: ResourceType, ref: ResourceRef, obj: KubeObject): KubeObject {
  const apiVersion = groupVersion(type.group, ref.version);
  return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
}
