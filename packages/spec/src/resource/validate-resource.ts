import type { z } from 'zod';
import { API_VERSION, GROUP, KINDS, type ResourceKind } from '../api-version.js';
import { didYouMean } from '../common/did-you-mean.js';
import { ModelSchema, type Model } from '../model/model.js';
import { ProviderSchema, type Provider } from '../provider/provider.js';
import { RouteSchema, type Route } from '../route/route.js';
import { describeValue, formatIssues, typeOf } from './format-issues.js';
import type { SpecIssue } from './spec-error.js';

/** Any Bascule resource. */
export type Resource = Model | Provider | Route;

export const RESOURCE_SCHEMAS = {
  Model: ModelSchema,
  Provider: ProviderSchema,
  Route: RouteSchema,
} as const satisfies Record<ResourceKind, z.ZodType>;

/** The outcome of validating one object. */
export type ValidationResult =
  | { status: 'valid'; kind: ResourceKind; name: string; resource: Resource }
  | { status: 'invalid'; kind: string; name: string | undefined; issues: SpecIssue[] }
  /** Not a bascule.dev object (a Secret, a ConfigMap...): passed through untouched. */
  | {
      status: 'foreign';
      apiVersion: string;
      kind: string;
      name: string | undefined;
      object: unknown;
    };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates a decoded object as a Model, Provider or Route, or recognises it as foreign. */
export function validateResource(input: unknown): ValidationResult {
  if (!isRecord(input)) {
    return invalid(
      'Unknown',
      undefined,
      [],
      `expected an object with apiVersion and kind, got ${typeOf(input)}`,
    );
  }
  const meta = isRecord(input.metadata) ? input.metadata : undefined;
  const name = typeof meta?.name === 'string' ? meta.name : undefined;
  const kind = typeof input.kind === 'string' ? input.kind : undefined;
  const apiVersion = input.apiVersion;
  if (typeof apiVersion !== 'string') {
    return invalid(
      kind ?? 'Unknown',
      name,
      ['apiVersion'],
      apiVersion === undefined
        ? `required field is missing (use ${API_VERSION})`
        : `expected a string, got ${describeValue(apiVersion)}`,
    );
  }
  if (kind === undefined) {
    return invalid(
      'Unknown',
      name,
      ['kind'],
      input.kind === undefined
        ? 'required field is missing'
        : `expected a string, got ${describeValue(input.kind)}`,
    );
  }
  const ours = (KINDS as readonly string[]).includes(kind);
  if (ours && !apiVersion.includes('/')) {
    // `v1alpha1` or `v1` alone: the core group has no Model, Provider or Route; a typo of ours.
    return invalid(
      kind,
      name,
      ['apiVersion'],
      `${kind} needs apiVersion ${API_VERSION}, got "${apiVersion}"`,
    );
  }
  if (!apiVersion.startsWith(`${GROUP}/`)) {
    return { status: 'foreign', apiVersion, kind, name, object: input };
  }
  if (apiVersion !== API_VERSION) {
    return invalid(
      kind,
      name,
      ['apiVersion'],
      `unsupported version "${apiVersion}": use ${API_VERSION}`,
    );
  }
  if (!(KINDS as readonly string[]).includes(kind)) {
    const guess = didYouMean(kind, KINDS);
    return invalid(
      kind,
      name,
      ['kind'],
      `unknown kind "${kind}" in ${API_VERSION}` +
        (guess ? ` (did you mean "${guess}"?)` : `; known kinds: ${KINDS.join(', ')}`),
    );
  }
  const schema: z.ZodType = RESOURCE_SCHEMAS[kind as ResourceKind];
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    return { status: 'invalid', kind, name, issues: formatIssues(schema, parsed.error.issues) };
  }
  return {
    status: 'valid',
    kind: kind as ResourceKind,
    name: name ?? '',
    resource: parsed.data as Resource,
  };
}

function invalid(
  kind: string,
  name: string | undefined,
  path: string[],
  message: string,
): ValidationResult {
  return { status: 'invalid', kind, name, issues: [{ path, message }] };
}
