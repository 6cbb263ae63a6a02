import type { Request, Response } from 'express';
import type { KeyPrincipal, KeyRole } from '@bascule/gateway';
import { ApiError } from './api-error.js';
import { principalOf } from './api-deps.js';

/** Refuses callers whose role is not listed (403, naming the role needed). */
export function requireRole(res: Response, ...roles: KeyRole[]): KeyPrincipal {
  const p = principalOf(res);
  if (!roles.includes(p.role))
    throw new ApiError(
      403,
      'forbidden',
      `this endpoint needs a key with role ${roles.join(' or ')}; this key's role is ${p.role}`,
    );
  return p;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** ?namespace= (a DNS label) or the API's default namespace. */
export function namespaceOf(req: Request, fallback: string): string {
  const ns = req.query.namespace;
  if (ns === undefined) return fallback;
  if (typeof ns !== 'string' || ns.length > 63 || !DNS_LABEL.test(ns))
    throw new ApiError(400, 'invalid_query', 'namespace must be a DNS label', '?namespace');
  return ns;
}

/** Rejects query parameters an endpoint does not take. */
export function allowQuery(req: Request, ...names: string[]): void {
  for (const k of Object.keys(req.query))
    if (!names.includes(k))
      throw new ApiError(
        400,
        'unknown_query_parameter',
        `unknown query parameter "${k}"${names.length ? ` (allowed: ${names.join(', ')})` : ''}`,
        `?${k}`,
      );
}

export function nameParam(req: Request): string {
  const name = String(req.params.name);
  if (name.length > 253 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name))
    throw new ApiError(
      400,
      'invalid_name',
      `"${name.slice(0, 80)}" is not a valid object name`,
      'name',
    );
  return name;
}
