import { notFound, type KubeObject } from '../../store/index.js';
import { sendJson, wantsTable } from '../http-util.js';
import { buildTable, type IncludeObject } from '../table/build-table.js';
import { apiVersionOf, type ResourceRequest, type ServerContext } from './request-context.js';

function includeObjectOf(r: ResourceRequest): IncludeObject {
  const v = r.query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/** GET one object (or its status / scale). */
export function handleGet(ctx: ServerContext, r: ResourceRequest): void {
  const name = r.name!;
  if (r.subresource === 'scale') {
    sendJson(r.res, 200, ctx.store.getScale(r.ref, r.namespace, name));
    return;
  }
  const obj = ctx.store.getShared(r.ref, r.namespace, name);
  if (!obj) throw notFound(r.type.group, r.type.resource, name);
  if (wantsTable(r.req.headers.accept) && !r.subresource) {
    const table = buildTable(
      r.type,
      r.version,
      [obj],
      { resourceVersion: obj.metadata.resourceVersion },
      includeObjectOf(r),
      ctx.clock(),
    );
    sendJson(r.res, 200, table, 'application/json;as=Table;v=v1;g=meta.k8s.io');
    return;
  }
  sendJson(r.res, 200, obj);
}

/** GET a collection (list), as a typed List or as a Table. */
export function handleList(ctx: ServerContext, r: ResourceRequest): void {
  const limit = Number(r.query.get('limit') ?? '0');
  const result = ctx.store.list(r.ref, {
    ...(r.namespace ? { namespace: r.namespace } : {}),
    labelSelector: r.query.get('labelSelector') ?? undefined,
    fieldSelector: r.query.get('fieldSelector') ?? undefined,
    limit: Number.isFinite(limit) && limit > 0 ? limit : undefined,
    continue: r.query.get('continue') || undefined,
    shared: true,
  });
  const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue) metadata['continue'] = result.continue;
  if (wantsTable(r.req.headers.accept)) {
    const table = buildTable(
      r.type,
      r.version,
      result.items,
      metadata,
      includeObjectOf(r),
      ctx.clock(),
    );
    sendJson(r.res, 200, table, 'application/json;as=Table;v=v1;g=meta.k8s.io');
    return;
  }
  sendJson(r.res, 200, {
    kind: r.type.listKind,
    apiVersion: apiVersionOf(r),
    metadata,
    items: result.items.map((o: KubeObject) => o),
  });
}
