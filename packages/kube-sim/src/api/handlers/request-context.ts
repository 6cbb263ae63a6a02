import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FieldValidation, MemoryStore, ResourceRef, ResourceType } from '../../store/index.js';
import type { FieldScope } from '../apply/field-set.js';
import type { PodSubresources } from './pod-subresources.js';
import { listStrategyFor, type ListStrategyResolver } from '../patch/list-strategy.js';

/** Server-wide settings and state the handlers share. */
export interface ServerContext {
  store: MemoryStore;
  clock: () => Date;
  /** Longest a watch stays open before the server closes it (clients then re-watch). */
  watchTimeoutSeconds: number;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK. */
  bookmarkIntervalMs: number;
  /** Open watch streams, ended when the server closes. */
  watches: Set<() => void>;
  stats: ApiServerStats;
  /** Pod subresources backed by the cluster (eviction, log), when one runs. */
  pods?: PodSubresources;
}

/** Counters a test or benchmark can read. */
export interface ApiServerStats {
  requests: number;
  watchesStarted: number;
  /** Watches the server ended itself (timeout), as opposed to the client going away. */
  watchesEndedByServer: number;
}

/** One resource request, resolved. */
export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  type: ResourceType;
  ref: ResourceRef;
  version: string;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

export function fieldManagerOf(r: ResourceRequest): string {
  const fromQuery = r.query.get('fieldManager');
  if (fromQuery) return fromQuery;
  const ua = r.req.headers['user-agent'] ?? 'unknown';
  return ua.split('/')[0] || 'unknown';
}

export function fieldValidationOf(r: ResourceRequest): FieldValidation {
  const v = r.query.get('fieldValidation');
  return v === 'Strict' || v === 'Ignore' ? v : 'Warn';
}

export function isDryRun(r: ResourceRequest): boolean {
  return r.query.getAll('dryRun').includes('All');
}

/** Which fields a write covers for managedFields: status, main (status excluded) or all. */
export function scopeOf(r: ResourceRequest): FieldScope {
  if (r.subresource === 'status') return 'status';
  return r.type.subresources.status ? 'main' : 'all';
}

export function resolverOf(r: ResourceRequest): ListStrategyResolver {
  return listStrategyFor(r.type, r.version);
}

export function apiVersionOf(r: ResourceRequest): string {
  return r.type.group === '' ? r.version : `${r.type.group}/${r.version}`;
}

/** Writes `Warning` headers for store warnings (e.g. unknown fields with fieldValidation=Warn). */
export function setWarnings(r: ResourceRequest, warnings: string[]): void {
  if (warnings.length === 0) return;
  r.res.setHeader(
    'Warning',
    warnings.map((w) => `299 - ${JSON.stringify(w)}`),
  );
}
