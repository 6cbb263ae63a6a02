import { cloneJson, deepEqual, specPart, validateName } from './object-utils.js';
import { groupVersion, parseApiVersion, type ResourceType } from './resource-type.js';
import { badRequest, conflict, invalid } from './status-error.js';
import type { KubeObject, ObjectMeta, ResourceRef } from './types.js';

/** Checks apiVersion and kind of a written object and sets them to the storage version. */
export function checkTypeMeta(type: ResourceType, ref: ResourceRef, obj: KubeObject): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw badRequest('the body of the request was in an unknown format: expected an object');
  }
  if (obj.kind && obj.kind !== type.kind) {
    throw badRequest(
      `the kind in the data (${obj.kind}) does not match the expected kind (${type.kind})`,
    );
  }
  if (obj.apiVersion) {
    const { group, version } = parseApiVersion(obj.apiVersion);
    if (group !== type.group || !type.versions.includes(version)) {
      throw badRequest(
        `the API version in the data (${obj.apiVersion}) does not match the expected API version (${groupVersion(ref.group, ref.version)})`,
      );
    }
  }
  if (obj.metadata !== undefined && (typeof obj.metadata !== 'object' || obj.metadata === null)) {
    throw badRequest('metadata: expected an object');
  }
  obj.apiVersion = groupVersion(type.group, type.versions[0]!);
  obj.kind = type.kind;
}

/** resourceVersion and uid preconditions of an update: a mismatch is a 409 Conflict. */
export function checkPreconditions(type: ResourceType, old: KubeObject, meta: ObjectMeta): void {
  const name = old.metadata.name ?? '';
  if (meta.resourceVersion && meta.resourceVersion !== old.metadata.resourceVersion) {
    throw conflict(type.group, type.resource, name);
  }
  if (meta.uid && meta.uid !== old.metadata.uid) {
    throw conflict(
      type.group,
      type.resource,
      name,
      `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${old.metadata.uid}`,
    );
  }
}

/**
 * The object an update stores: a status update changes only status; a main update keeps status
 * (when the type has a status subresource) and the immutable metadata (uid, creationTimestamp,
 * deletionTimestamp), and may not add finalizers to an object being deleted.
 */
export function mergeUpdate(
  type: ResourceType,
  old: KubeObject,
  obj: KubeObject,
  status: boolean,
): KubeObject {
  const meta = obj.metadata;
  const name = old.metadata.name ?? '';
  let next: KubeObject;
  if (status) {
    next = { ...cloneJson(old), status: obj['status'] };
    if (obj['status'] === undefined) delete next['status'];
    if (meta.managedFields) next.metadata.managedFields = meta.managedFields;
  } else {
    next = obj;
    if (type.subresources.status) {
      if (old['status'] === undefined) delete next['status'];
      else next['status'] = cloneJson(old['status']);
    }
    next.metadata = {
      ...meta,
      name: old.metadata.name,
      uid: old.metadata.uid,
      creationTimestamp: old.metadata.creationTimestamp,
      managedFields: meta.managedFields ?? old.metadata.managedFields,
    };
    if (old.metadata.namespace) next.metadata.namespace = old.metadata.namespace;
    else delete next.metadata.namespace;
    if (old.metadata.deletionTimestamp)
      next.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
    else delete next.metadata.deletionTimestamp;
    if (old.metadata.deletionGracePeriodSeconds !== undefined)
      next.metadata.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    else delete next.metadata.deletionGracePeriodSeconds;
    const added = (meta.finalizers ?? []).filter(
      (f) => !(old.metadata.finalizers ?? []).includes(f),
    );
    if (old.metadata.deletionTimestamp && added.length > 0) {
      throw invalid(type.group, type.kind, name, [
        {
          reason: 'FieldValueForbidden',
          field: 'metadata.finalizers',
          message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"${added.join('", "')}"}`,
        },
      ]);
    }
  }
  return next;
}

/** metadata.generation after an update: bumped when anything but metadata (and status) changed. */
export function nextGeneration(type: ResourceType, next: KubeObject, old: KubeObject): number {
  const changed = type.subresources.status
    ? !deepEqual(specPart(next), specPart(old))
    : !deepEqual({ ...specPart(next), s: next['status'] }, { ...specPart(old), s: old['status'] });
  return (old.metadata.generation ?? 0) + (changed ? 1 : 0);
}

const LABEL_NAMED = new Set(['namespaces', 'services']);

/** A new object's name: required, and a DNS subdomain (a DNS label for namespaces and services). */
export function checkNewName(type: ResourceType, metaName: string | undefined): string {
  const name = metaName ?? '';
  if (!name) {
    throw invalid(type.group, type.kind, '', [
      {
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ]);
  }
  const nameError = validateName(name, LABEL_NAMED.has(type.resource) && type.group === '');
  if (nameError) {
    throw invalid(type.group, type.kind, name, [
      { reason: 'FieldValueInvalid', field: 'metadata.name', message: nameError },
    ]);
  }
  return name;
}
