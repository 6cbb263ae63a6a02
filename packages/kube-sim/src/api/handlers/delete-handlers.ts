import { badRequest, conflict, type DeleteOptions, type KubeObject } from '../../store/index.js';
import { parseBody, readBody, sendJson } from '../http-util.js';
import { isPlainObject } from '../patch/merge-patch.js';
import {
  apiVersionOf,
  isDryRun,
  type ResourceRequest,
  type ServerContext,
} from './request-context.js';

interface DeleteBody {
  propagationPolicy?: string;
  orphanDependents?: boolean;
  gracePeriodSeconds?: number;
  dryRun?: string[];
  preconditions?: { uid?: string; resourceVersion?: string };
}

async function deleteOptionsOf(
  r: ResourceRequest,
): Promise<{ options: DeleteOptions; body: DeleteBody }> {
  const text = await readBody(r.req);
  const body = (text.trim() ? parseBody(text) : {}) as DeleteBody;
  const b: DeleteBody = isPlainObject(body) ? body : {};
  const policy =
    r.query.get('propagationPolicy') ??
    b.propagationPolicy ??
    (b.orphanDependents ? 'Orphan' : undefined);
  const options: DeleteOptions = { dryRun: isDryRun(r) || (b.dryRun ?? []).includes('All') };
  if (policy === 'Background' || policy === 'Foreground' || policy === 'Orphan')
    options.propagationPolicy = policy;
  const grace = r.query.get('gracePeriodSeconds') ?? b.gracePeriodSeconds;
  if (grace !== undefined && grace !== null) {
    const n = Number(grace);
    if (!Number.isInteger(n))
      throw badRequest(`gracePeriodSeconds: "${String(grace)}" is not an integer`);
    // The API server turns a negative grace period into 1.
    options.gracePeriodSeconds = n < 0 ? 1 : n;
  }
  return { options, body: b };
}

/** DELETE one object. 200 with the object when gone, 202 while finalizers hold it. */
export async function handleDelete(ctx: ServerContext, r: ResourceRequest): Promise<void> {
  const { options, body } = await deleteOptionsOf(r);
  const name = r.name!;
  const current = ctx.store.getShared(r.ref, r.namespace, name);
  const pre = body.preconditions;
  if (current && pre?.uid && pre.uid !== current.metadata.uid) {
    throw conflict(
      r.type.group,
      r.type.resource,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
    );
  }
  if (current && pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(
      r.type.group,
      r.type.resource,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
    );
  }
  const deleted = ctx.store.delete(r.ref, r.namespace, name, options);
  const pending = !options.dryRun && ctx.store.getShared(r.ref, r.namespace, name) !== undefined;
  // A graceful delete (a Pod terminating) answers 200 with the object, as the API server does.
  const graceful = (deleted?.metadata.deletionGracePeriodSeconds ?? 0) > 0;
  sendJson(r.res, pending && !graceful ? 202 : 200, deleted);
}

/** DELETE a collection (deletecollection) with label and field selectors. */
export async function handleDeleteCollection(
  ctx: ServerContext,
  r: ResourceRequest,
): Promise<void> {
  const { options } = await deleteOptionsOf(r);
  const list = ctx.store.list(r.ref, {
    ...(r.namespace ? { namespace: r.namespace } : {}),
    labelSelector: r.query.get('labelSelector') ?? undefined,
    fieldSelector: r.query.get('fieldSelector') ?? undefined,
  });
  const items: KubeObject[] = [];
  for (const obj of list.items) {
    try {
      const d = ctx.store.delete(r.ref, obj.metadata.namespace, obj.metadata.name ?? '', options);
      if (d) items.push(d);
    } catch {
      // Deleted meanwhile (e.g. by garbage collection of an owner in the same collection).
    }
  }
  sendJson(r.res, 200, {
    kind: r.type.listKind,
    apiVersion: apiVersionOf(r),
    metadata: { resourceVersion: ctx.store.currentResourceVersion() },
    items,
  });
}
