import { GROUP, VERSION, type ResourceKind } from '@bascule/spec';

/** The URL segment of each kind. */
export const PLURALS = { models: 'Model', providers: 'Provider', routes: 'Route' } as const;
export type Plural = keyof typeof PLURALS;

export function pluralOf(kind: ResourceKind): Plural {
  return kind === 'Model' ? 'models' : kind === 'Provider' ? 'providers' : 'routes';
}

export function crd(plural: Plural, namespace: string) {
  return { group: GROUP, version: VERSION, plural, namespace };
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: unknown;
    uid?: string;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** An object as the API returns it: no managedFields noise. */
export function clean(o: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = o.metadata;
  return { ...o, metadata };
}
