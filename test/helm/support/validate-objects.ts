// Validates rendered objects: built-in kinds against the Kubernetes JSON schemas (kubernetes-models),
// Bascule resources against our CRDs' openAPIV3Schema (ajv), and the two optional third-party
// kinds (ServiceMonitor, HTTPRoute) against the fields they must have.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import type { KubeDoc } from './render-chart.js';
import { CHART } from './render-chart.js';

interface ValidatingModel {
  validate(): void;
}
type ModelClass = new (data: unknown) => ValidatingModel;

async function modelClass(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const path = apiVersion.includes('/') ? apiVersion : `v1`;
  try {
    const mod = (await import(/* @vite-ignore */ `kubernetes-models/${path}`)) as Record<
      string,
      unknown
    >;
    return mod[kind] as ModelClass | undefined;
  } catch {
    return undefined;
  }
}

/** OpenAPI 3.0 (CRD) schema -> JSON Schema draft 7: boolean exclusiveMinimum/Maximum, nullable. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node))
    out[k] = k === 'enum' || k === 'default' ? v : toJsonSchema(v);
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (out[flag] === true) {
      out[flag] = out[bound];
      delete out[bound];
    } else if (out[flag] === false) delete out[flag];
  }
  if (out['nullable'] === true && typeof out['type'] === 'string')
    out['type'] = [out['type'], 'null'];
  return out;
}

let crdValidators: Map<string, ValidateFunction> | undefined;
function crdValidator(apiVersion: string, kind: string): ValidateFunction | undefined {
  if (!crdValidators) {
    crdValidators = new Map();
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    for (const f of readdirSync(join(CHART, 'crds'))) {
      const crd = parse(readFileSync(join(CHART, 'crds', f), 'utf8')) as {
        spec: {
          group: string;
          names: { kind: string };
          versions: { name: string; schema: { openAPIV3Schema: object } }[];
        };
      };
      for (const v of crd.spec.versions) {
        crdValidators.set(
          `${crd.spec.group}/${v.name}/${crd.spec.names.kind}`,
          ajv.compile(toJsonSchema(v.schema.openAPIV3Schema) as object),
        );
      }
    }
  }
  return crdValidators.get(`${apiVersion}/${kind}`);
}

const THIRD_PARTY: Record<string, (d: KubeDoc) => string | undefined> = {
  'monitoring.coreos.com/v1/ServiceMonitor': (d) => {
    const spec = d['spec'] as { selector?: object; endpoints?: { port?: string }[] } | undefined;
    return spec?.selector && spec.endpoints?.every((e) => typeof e.port === 'string')
      ? undefined
      : 'needs spec.selector and endpoints[].port';
  },
  'gateway.networking.k8s.io/v1/HTTPRoute': (d) => {
    const spec = d['spec'] as
      | {
          parentRefs?: { name?: string }[];
          rules?: { backendRefs?: { name?: string; port?: number }[] }[];
        }
      | undefined;
    const ok =
      (spec?.parentRefs?.length ?? 0) > 0 &&
      spec?.parentRefs?.every((p) => p.name) &&
      spec?.rules?.every((r) => r.backendRefs?.every((b) => b.name && typeof b.port === 'number'));
    return ok ? undefined : 'needs parentRefs[].name and rules[].backendRefs[].name/port';
  },
};

/** Errors of one object, as "Kind/name: message" lines; empty when valid. */
export async function validateObject(doc: KubeDoc): Promise<string[]> {
  const id = `${doc.kind}/${doc.metadata?.name}`;
  if (!doc.apiVersion || !doc.kind || !doc.metadata?.name)
    return [`${id}: needs apiVersion, kind and metadata.name`];
  const third = THIRD_PARTY[`${doc.apiVersion}/${doc.kind}`];
  if (third) {
    const e = third(doc);
    return e ? [`${id}: ${e}`] : [];
  }
  const crd = crdValidator(doc.apiVersion, doc.kind);
  if (crd) {
    return crd(doc)
      ? []
      : (crd.errors ?? []).map((e) => `${id}: ${e.instancePath} ${e.message ?? ''}`);
  }
  const Model = await modelClass(doc.apiVersion, doc.kind);
  if (!Model) return [`${id}: no schema for ${doc.apiVersion} ${doc.kind}`];
  try {
    new Model(doc).validate();
    return [];
  } catch (err) {
    return [`${id}: ${err instanceof Error ? err.message : String(err)}`];
  }
}

export async function validateAll(docs: KubeDoc[]): Promise<string[]> {
  return (await Promise.all(docs.map(validateObject))).flat();
}
