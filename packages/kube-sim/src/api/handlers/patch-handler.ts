import { badRequest, notFound, StatusError, type KubeObject } from '../../store/index.js';
import { serverSideApply } from '../apply/server-side-apply.js';
import { parseBody, queryFlag, readBody, sendJson } from '../http-util.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import { builtinListStrategy, type ListStrategyResolver } from '../patch/list-strategy.js';
import { applyMergePatch, isPlainObject } from '../patch/merge-patch.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge-patch.js';
import {
  apiVersionOf,
  fieldValidationOf,
  isDryRun,
  resolverOf,
  scopeOf,
  setWarnings,
  type ResourceRequest,
  type ServerContext,
} from './request-context.js';
import { withUpdateFields } from './with-update-fields.js';
import { bindNamespace } from './write-handlers.js';
import { writeScale } from './write-scale.js';

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

function unsupported(crd: boolean): StatusError {
  const types = crd
    ? [JSON_PATCH, MERGE_PATCH, APPLY]
    : [JSON_PATCH, MERGE_PATCH, APPLY, STRATEGIC];
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${types.join(', ')}`,
    {},
  );
}

function applyPatchOfType(
  contentType: string,
  current: KubeObject,
  patch: unknown,
  resolve: ListStrategyResolver,
): unknown {
  if (contentType === JSON_PATCH) return applyJsonPatch(current, patch);
  if (!isPlainObject(patch)) throw badRequest('the patch must be a JSON object');
  if (contentType === MERGE_PATCH) return applyMergePatch(current, patch);
  return applyStrategicMergePatch(current, patch, resolve);
}

/** PATCH an object (or its status / scale) with JSON, merge, strategic merge or apply patches. */
export async function handlePatch(ctx: ServerContext, r: ResourceRequest): Promise<void> {
  const contentType = (r.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const known = [JSON_PATCH, MERGE_PATCH, APPLY, ...(r.type.crd ? [] : [STRATEGIC])];
  if (!known.includes(contentType)) throw unsupported(!!r.type.crd);
  const text = await readBody(r.req);
  const warnings: string[] = [];
  const options = { dryRun: isDryRun(r), fieldValidation: fieldValidationOf(r), warnings };
  const name = r.name!;
  if (contentType === APPLY) {
    handleApply(ctx, r, text, options);
    return;
  }
  const patch = parseBody(text);
  if (r.subresource === 'scale') {
    const scale = ctx.store.getScale(r.ref, r.namespace, name);
    const patched = applyPatchOfType(contentType, scale, patch, builtinListStrategy) as KubeObject;
    sendJson(r.res, 200, writeScale(ctx, r, patched, options));
    return;
  }
  if (r.subresource && r.subresource !== 'status')
    throw notFound(r.type.group, r.type.resource, name);
  const current = ctx.store.get(r.ref, r.namespace, name);
  if (!current) throw notFound(r.type.group, r.type.resource, name);
  const patched = applyPatchOfType(contentType, current, patch, resolverOf(r));
  if (!isPlainObject(patched) || !isPlainObject(patched['metadata'])) {
    throw badRequest('the patch produced an object without metadata');
  }
  const next = patched as KubeObject;
  if (next.metadata.name !== name)
    throw badRequest(
      `the name of the object (${String(next.metadata.name)}) does not match the name on the URL (${name})`,
    );
  next.metadata.resourceVersion ??= current.metadata.resourceVersion;
  const tracked = withUpdateFields(ctx, r, current, next);
  const subresource = r.subresource === 'status' ? { subresource: 'status' as const } : {};
  const updated = ctx.store.update(r.ref, tracked, { ...options, ...subresource });
  setWarnings(r, warnings);
  sendJson(r.res, 200, updated);
}

function handleApply(
  ctx: ServerContext,
  r: ResourceRequest,
  text: string,
  options: { dryRun: boolean; fieldValidation: 'Strict' | 'Warn' | 'Ignore'; warnings: string[] },
): void {
  const name = r.name!;
  const manager = r.query.get('fieldManager');
  if (!manager) throw badRequest('fieldManager: Required value: is required for apply patch');
  if (r.subresource === 'scale') throw unsupported(!!r.type.crd);
  const applied = parseBody(text, true);
  if (!isPlainObject(applied)) throw badRequest('the applied configuration must be an object');
  const meta = isPlainObject(applied['metadata']) ? applied['metadata'] : {};
  if (applied['kind'] !== r.type.kind) {
    throw badRequest(
      `the kind in the applied configuration (${JSON.stringify(applied['kind'])}) does not match the expected kind (${r.type.kind})`,
    );
  }
  if (applied['apiVersion'] !== apiVersionOf(r)) {
    throw badRequest(
      `the API version in the data (${JSON.stringify(applied['apiVersion'])}) does not match the expected API version (${apiVersionOf(r)})`,
    );
  }
  if (meta['name'] !== undefined && meta['name'] !== name) {
    throw badRequest(
      `the name of the object (${JSON.stringify(meta['name'])}) does not match the name on the URL (${name})`,
    );
  }
  applied['metadata'] = { ...meta, name };
  const scope = scopeOf(r);
  if (scope === 'main') delete applied['status'];
  const current = ctx.store.get(r.ref, r.namespace, name);
  const merged = serverSideApply({
    live: current,
    applied,
    manager,
    force: queryFlag(r.query, 'force'),
    apiVersion: apiVersionOf(r),
    resolve: resolverOf(r),
    scope,
    ...(r.subresource ? { subresource: r.subresource } : {}),
    now: ctx.clock(),
  });
  if (!current) {
    if (r.subresource) throw notFound(r.type.group, r.type.resource, name);
    bindNamespace(r, merged);
    const created = ctx.store.create(r.ref, merged, options);
    setWarnings(r, options.warnings);
    sendJson(r.res, 201, created);
    return;
  }
  merged.metadata.resourceVersion =
    typeof meta['resourceVersion'] === 'string'
      ? meta['resourceVersion']
      : current.metadata.resourceVersion;
  const subresource = r.subresource === 'status' ? { subresource: 'status' as const } : {};
  const updated = ctx.store.update(r.ref, merged, { ...options, ...subresource });
  setWarnings(r, options.warnings);
  sendJson(r.res, 200, updated);
}
