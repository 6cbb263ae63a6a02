import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ADMIN_USER, authenticate } from '../rbac/index.js';
import { StatusError, type MemoryStore } from '../store/index.js';
import { checkAccess, nonResourceAttributes, resourceAttributes } from './authorize-request.js';
import {
  handleSelfSubjectAccessReview,
  handleSelfSubjectRulesReview,
  handleTokenRequest,
} from './handlers/auth-handlers.js';
import { handleDelete, handleDeleteCollection } from './handlers/delete-handlers.js';
import { handlePatch } from './handlers/patch-handler.js';
import {
  handlePodSubresource,
  POD_SUBRESOURCES,
  type PodSubresources,
} from './handlers/pod-subresource-handlers.js';
import { handleGet, handleList } from './handlers/read-handlers.js';
import type { ApiServerStats, ResourceRequest, ServerContext } from './handlers/request-context.js';
import { handleWatch } from './handlers/watch-handler.js';
import { handleCreate, handleUpdate } from './handlers/write-handlers.js';
import { queryFlag, sendError } from './http-util.js';
import { parseApiPath } from './parse-api-path.js';
import { routeDiscovery } from './route-discovery.js';
import { createSelfSignedCert, type TlsMaterial } from './self-signed-cert.js';

export interface ApiServerOptions {
  store: MemoryStore;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /**
   * When set, every request (but health checks) needs `Authorization: Bearer <token>`.
   * kubectl sends tokens only over TLS: combine with `tls` for kubectl; client-node sends them either way.
   */
  token?: string;
  /** Serve HTTPS with this key and certificate, or with a fresh self-signed one (needs `openssl`). */
  tls?: TlsMaterial | 'self-signed';
  /** Longest a watch stays open before the server ends it (default 1800 s, as the API server's
   *  min-request-timeout; informers re-watch, `kubectl get -w` exits). */
  watchTimeoutSeconds?: number;
  /** Interval of BOOKMARK events on watches that allow them (default 30 s). */
  bookmarkIntervalMs?: number;
  clock?: () => Date;
  /** The cluster's pod subresources (eviction, log); without it they answer 400. */
  pods?: PodSubresources;
}

export interface ApiServer {
  url: string;
  /** PEM certificate clients should trust (HTTPS only). */
  caCert?: string;
  /** Request and watch counters. */
  stats(): ApiServerStats;
  close(): Promise<void>;
}

async function dispatch(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  token: string | undefined,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://kube-sim');
  const isHealth = /^\/(healthz|livez|readyz)(\/|$)/.test(url.pathname);
  const user = isHealth ? ADMIN_USER : authenticate(ctx.store, req, token, ctx.clock());
  const path = parseApiPath(url.pathname, ctx.store.registry);
  if (path.kind === 'other') {
    if (!isHealth) checkAccess(ctx.store, user, nonResourceAttributes(req, url.pathname));
    if (req.method === 'GET' && routeDiscovery(ctx.store.registry, req, res, url.pathname)) return;
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  }
  if (path.kind === 'unknownResource') {
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  }
  const method = req.method ?? 'GET';
  const watch = queryFlag(url.searchParams, 'watch');
  checkAccess(ctx.store, user, resourceAttributes(method, path, watch));
  const review =
    path.group === 'authorization.k8s.io' &&
    (path.resource === 'selfsubjectaccessreviews' || path.resource === 'selfsubjectrulesreviews');
  const tokenRequest =
    path.group === '' && path.resource === 'serviceaccounts' && path.subresource === 'token';
  const r: ResourceRequest = {
    req,
    res,
    query: url.searchParams,
    type: path.type,
    ref: { group: path.group, version: path.version, resource: path.resource },
    version: path.version,
    namespace: path.namespace,
    name: path.name,
    subresource: path.subresource,
  };
  const isPods = path.type.group === '' && path.type.resource === 'pods';
  if (isPods && path.name && path.subresource && POD_SUBRESOURCES.includes(path.subresource)) {
    return handlePodSubresource(ctx.pods, r);
  }
  if (path.subresource && !['status', 'scale'].includes(path.subresource) && !tokenRequest) {
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  }
  if (
    (path.subresource === 'status' && !path.type.subresources.status) ||
    (path.subresource === 'scale' && !path.type.subresources.scale)
  ) {
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  }
  if (review && method === 'POST' && !r.name)
    return path.resource === 'selfsubjectaccessreviews'
      ? handleSelfSubjectAccessReview(ctx, r, user)
      : handleSelfSubjectRulesReview(ctx, r, user);
  if (tokenRequest && method === 'POST') return handleTokenRequest(ctx, r);
  if (review || tokenRequest)
    throw new StatusError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    );
  const contentType = req.headers['content-type'] ?? '';
  if (/cbor/.test(contentType) || (method === 'PATCH' && /protobuf/.test(contentType))) {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      `kube-sim accepts JSON request bodies only, not ${contentType.split(';')[0]}`,
      {},
    );
  }
  if (method === 'GET' && watch) return handleWatch(ctx, r);
  if (method === 'GET') return r.name ? handleGet(ctx, r) : handleList(ctx, r);
  if (method === 'POST' && !r.name) return handleCreate(ctx, r);
  if (method === 'PUT' && r.name) return handleUpdate(ctx, r);
  if (method === 'PATCH' && r.name) return handlePatch(ctx, r);
  if (method === 'DELETE' && r.name && !r.subresource) return handleDelete(ctx, r);
  if (method === 'DELETE' && !r.name) return handleDeleteCollection(ctx, r);
  throw new StatusError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    {},
  );
}

/** Starts kube-sim's Kubernetes API server over node:http on top of a store. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const ctx: ServerContext = {
    store: options.store,
    clock: options.clock ?? (() => new Date()),
    watchTimeoutSeconds: options.watchTimeoutSeconds ?? 1800,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 30_000,
    watches: new Set(),
    stats: { requests: 0, watchesStarted: 0, watchesEndedByServer: 0 },
    ...(options.pods ? { pods: options.pods } : {}),
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    ctx.stats.requests++;
    dispatch(ctx, req, res, options.token).catch((err: unknown) => sendError(res, err));
  };
  const tls = options.tls === 'self-signed' ? await createSelfSignedCert() : options.tls;
  const server = tls
    ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler)
    : createServer(handler);
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${tls ? 'https' : 'http'}://${shownHost}:${address.port}`,
    ...(tls ? { caCert: tls.cert } : {}),
    stats: () => ({ ...ctx.stats }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const finish of [...ctx.watches]) finish();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
