import type { StatusErrorShape } from './types.js';

/** One entry of `details.causes` in a Kubernetes Status object. */
export interface StatusCause {
  reason: string; // 'FieldValueInvalid', 'FieldValueRequired', 'FieldValueNotSupported', 'FieldValueDuplicate', ...
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The `Status` object a Kubernetes API server writes for an error. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** A failed store or API operation, carrying what a Kubernetes Status object needs. */
export class StatusError extends Error implements StatusErrorShape {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'StatusError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  get causes(): StatusCause[] {
    return this.details?.causes ?? [];
  }

  toStatus(): KubeStatus {
    const status: KubeStatus = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details && Object.keys(this.details).length > 0) status.details = this.details;
    return status;
  }
}

export function isStatusError(err: unknown): err is StatusError {
  return err instanceof StatusError;
}

/** `deployments.apps` for a group resource, `pods` for the core group. */
export function qualifiedResource(group: string, resource: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

/** `Deployment.apps` for a group kind, `Pod` for the core group. */
export function qualifiedKind(group: string, kind: string): string {
  return group === '' ? kind : `${kind}.${group}`;
}

export function notFound(group: string, resource: string, name: string): StatusError {
  return new StatusError(
    404,
    'NotFound',
    `${qualifiedResource(group, resource)} "${name}" not found`,
    {
      name,
      ...(group ? { group } : {}),
      kind: resource,
    },
  );
}

export function resourceNotFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(group: string, resource: string, name: string): StatusError {
  return new StatusError(
    409,
    'AlreadyExists',
    `${qualifiedResource(group, resource)} "${name}" already exists`,
    {
      name,
      ...(group ? { group } : {}),
      kind: resource,
    },
  );
}

export function conflict(group: string, resource: string, name: string, why?: string): StatusError {
  const reason =
    why ??
    'the object has been modified; please apply your changes to the latest version and try again';
  return new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(group, resource)} "${name}": ${reason}`,
    { name, ...(group ? { group } : {}), kind: resource },
  );
}

/** 422 Invalid, with one cause per field, as the API server's validation writes it. */
export function invalid(
  group: string,
  kind: string,
  name: string,
  causes: StatusCause[],
): StatusError {
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return new StatusError(
    422,
    'Invalid',
    `${qualifiedKind(group, kind)} "${name}" is invalid: ${summary}`,
    {
      name,
      ...(group ? { group } : {}),
      kind,
      causes,
    },
  );
}

export function gone(message: string): StatusError {
  return new StatusError(410, 'Expired', message, {});
}

export function badRequest(message: string, causes?: StatusCause[]): StatusError {
  return new StatusError(400, 'BadRequest', message, causes ? { causes } : {});
}

export function methodNotAllowed(message: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', message, {});
}

export function forbidden(message: string): StatusError {
  return new StatusError(403, 'Forbidden', message, {});
}

export function unprocessable(message: string): StatusError {
  return new StatusError(422, 'Invalid', message, {});
}
