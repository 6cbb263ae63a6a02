import { badRequest, StatusError, type KubeObject } from '../../store/index.js';
import { parseBody, readBodyBytes, sendJson } from '../http-util.js';
import { decodeProtobufObject } from '../protobuf/decode-protobuf-object.js';
import { isPlainObject } from '../patch/merge-patch.js';
import { withUpdateFields } from './with-update-fields.js';
import { writeScale } from './write-scale.js';
import {
  fieldValidationOf,
  isDryRun,
  setWarnings,
  type ResourceRequest,
  type ServerContext,
} from './request-context.js';

/** Reads and checks a JSON object body. */
export async function readObject(r: ResourceRequest): Promise<KubeObject> {
  const protobuf = /protobuf/.test(r.req.headers['content-type'] ?? '');
  const bytes = await readBodyBytes(r.req);
  const body = protobuf ? decodeProtobufObject(bytes) : parseBody(bytes.toString('utf8'));
  if (!isPlainObject(body)) throw badRequest('the request body must be a JSON object');
  const obj = body as KubeObject;
  if (obj.metadata !== undefined && !isPlainObject(obj.metadata))
    throw badRequest('metadata: expected an object');
  obj.metadata ??= {};
  return obj;
}

/** Puts the path's namespace on the object; a different one in the body is a 400. */
export function bindNamespace(r: ResourceRequest, obj: KubeObject): void {
  if (!r.type.namespaced) return;
  const ns = obj.metadata.namespace;
  if (ns && r.namespace && ns !== r.namespace) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  obj.metadata.namespace = r.namespace ?? ns ?? 'default';
}

/** POST a collection: create. */
export async function handleCreate(ctx: ServerContext, r: ResourceRequest): Promise<void> {
  if (r.subresource || r.name)
    throw new StatusError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    );
  const obj = await readObject(r);
  bindNamespace(r, obj);
  delete obj.metadata.managedFields;
  const warnings: string[] = [];
  const created = ctx.store.create(r.ref, withUpdateFields(ctx, r, undefined, obj), {
    dryRun: isDryRun(r),
    fieldValidation: fieldValidationOf(r),
    warnings,
  });
  setWarnings(r, warnings);
  sendJson(r.res, 201, created);
}

/** PUT an object (or its status / scale): update. */
export async function handleUpdate(ctx: ServerContext, r: ResourceRequest): Promise<void> {
  const obj = await readObject(r);
  const name = r.name!;
  if (obj.metadata.name && obj.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  obj.metadata.name = name;
  bindNamespace(r, obj);
  const warnings: string[] = [];
  const options = { dryRun: isDryRun(r), fieldValidation: fieldValidationOf(r), warnings };
  if (r.subresource === 'scale') {
    sendJson(r.res, 200, writeScale(ctx, r, obj, options));
    return;
  }
  const subresource = r.subresource === 'status' ? ('status' as const) : undefined;
  if (r.subresource && !subresource)
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  const old = ctx.store.getShared(r.ref, r.namespace, name);
  const next = old ? withUpdateFields(ctx, r, old, obj) : obj;
  const updated = ctx.store.update(r.ref, next, {
    ...options,
    ...(subresource ? { subresource } : {}),
  });
  setWarnings(r, warnings);
  sendJson(r.res, 200, updated);
}
