import type { KubeObject } from './types.js';

/** A JSON schema node as used by CRDs (apiextensions.k8s.io/v1 JSONSchemaProps), loosely typed. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  nullable?: boolean;
  description?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  [key: string]: unknown;
}

export interface PrinterColumn {
  name: string;
  type: string; // integer, number, string, boolean, date
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

export interface ScaleSubresource {
  specReplicasPath: string; // '.spec.replicas'
  statusReplicasPath: string; // '.status.replicas'
  labelSelectorPath?: string; // '.status.selector'
}

/** What kube-sim knows about one served resource: discovery names, scope, subresources, schema. */
export interface ResourceType {
  group: string;
  /** Served versions; the first is the preferred and storage version. */
  versions: string[];
  resource: string; // plural
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: { status?: boolean; scale?: ScaleSubresource };
  /** metadata.generation is tracked (bumped on changes outside metadata and status). */
  generation: boolean;
  /** What happens to `status` on create: kept, dropped, or replaced by an initial value. */
  createStatus: 'keep' | 'drop' | { initial: Record<string, unknown> };
  /** CRD-backed: per-version structural schema (openAPIV3Schema). */
  schemas?: Record<string, JsonSchema>;
  /** CRD-backed: per-version additionalPrinterColumns. */
  printerColumns?: Record<string, PrinterColumn[]>;
  /** Name of the CRD that defines this resource (absent for built-ins). */
  crd?: string;
  /** Validates a built-in object before it is stored; returns field errors. */
  validate?: (object: KubeObject) => Array<{ field: string; message: string; reason?: string }>;
}

export const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

export function groupVersion(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
