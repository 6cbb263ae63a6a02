import { isDeepStrictEqual } from 'node:util';
import type { Express } from 'express';
import { applyObject, isNotFound } from '@bascule/kube';
import { formatLoadIssue, loadText, type Resource } from '@bascule/spec';
import { allowQuery, namespaceOf, requireRole } from '../access.js';
import type { KeyRole } from '@bascule/gateway';
import { ApiError } from '../api-error.js';
import { guardProviderWrite } from '../provider-write-guard.js';
import type { ApiDeps } from '../api-deps.js';
import { clean, pluralOf, type KubeObject } from '../resource-kinds.js';
import { getObject } from './resource-routes.js';

export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

export interface ApplyResult {
  kind: string;
  name: string;
  namespace: string;
  result: ApplyOutcome;
  /** dryRun only: the stored object and the object as it would be after the apply. */
  live?: KubeObject | null;
  merged?: KubeObject;
}

/** POST /api/v1/apply: YAML or JSON, one or many documents, server-side apply, ?dryRun=true. */
export function applyRoutes(app: Express, deps: ApiDeps): void {
  app.post('/api/v1/apply', async (req, res) => {
    const caller = requireRole(res, 'admin', 'operator');
    allowQuery(req, 'namespace', 'dryRun');
    const dryRun = flag(req.query.dryRun);
    const namespace = namespaceOf(req, deps.namespace);
    const body: unknown = req.body;
    const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
    if (text.trim() === '')
      throw new ApiError(
        400,
        'empty_body',
        'send one or more Model, Provider or Route manifests (YAML or JSON)',
      );
    const loaded = loadText(text, 'body');
    const issues = [...loaded.sourceIssues, ...loaded.documents.flatMap((d) => d.issues)];
    const resources: Resource[] = [];
    for (const d of loaded.documents) {
      if (d.result?.status === 'valid') resources.push(d.result.resource);
      else if (d.result?.status === 'foreign')
        issues.push({
          file: 'body',
          line: d.line,
          col: d.col,
          kind: d.result.kind,
          name: d.result.name,
          path: '.kind',
          message: `${d.result.apiVersion} ${d.result.kind} is not a Bascule resource; apply it with kubectl`,
        });
    }
    if (issues.length > 0) {
      const first = issues[0]!;
      throw new ApiError(
        422,
        'invalid_manifest',
        `${issues.length} error${issues.length === 1 ? '' : 's'}: ${formatLoadIssue(first)}`,
        first.path,
        issues.map((i) => ({ ...i })),
      );
    }
    const results: ApplyResult[] = [];
    for (const r of resources)
      results.push(await applyOne(deps, r, namespace, dryRun, caller.role));
    res.json({ dryRun, results });
  });
}

async function applyOne(
  deps: ApiDeps,
  resource: Resource,
  defaultNamespace: string,
  dryRun: boolean,
  role: KeyRole,
): Promise<ApplyResult> {
  const namespace = resource.metadata.namespace ?? defaultNamespace;
  const object = {
    ...(resource as unknown as KubeObject),
    metadata: { ...resource.metadata, namespace },
  };
  const plural = pluralOf(resource.kind);
  let live: KubeObject | null = null;
  try {
    live = await getObject(deps, plural, namespace, resource.metadata.name);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404) && !isNotFound(err)) throw err;
  }
  if (resource.kind === 'Provider') guardProviderWrite(role, live ? live.spec : null, object.spec);
  const stored = await applyObject(deps.kube.objects, object as never, { dryRun, force: true });
  const after = stored as unknown as KubeObject;
  // Status writes move resourceVersion; what the user owns is the spec (generation) and metadata.
  const result: ApplyOutcome = !live
    ? 'created'
    : same(live, after) && (dryRun || live.metadata.generation === after.metadata.generation)
      ? 'unchanged'
      : 'configured';
  return {
    kind: resource.kind,
    name: resource.metadata.name,
    namespace,
    result,
    ...(dryRun ? { live: live ? clean(live) : null, merged: clean(after) } : {}),
  };
}

function same(a: KubeObject, b: KubeObject): boolean {
  return (
    isDeepStrictEqual(a.spec ?? {}, b.spec ?? {}) &&
    isDeepStrictEqual(a.metadata.labels ?? {}, b.metadata.labels ?? {}) &&
    isDeepStrictEqual(a.metadata.annotations ?? {}, b.metadata.annotations ?? {})
  );
}

function flag(v: unknown): boolean {
  if (v === undefined) return false;
  if (v === 'true' || v === '') return true;
  if (v === 'false') return false;
  throw new ApiError(400, 'invalid_query', 'dryRun must be true or false', '?dryRun');
}
