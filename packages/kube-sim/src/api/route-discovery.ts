import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceRegistry } from '../store/index.js';
import {
  AGGREGATED_CONTENT_TYPE,
  aggregatedDiscovery,
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
  VERSION_INFO,
} from './discovery.js';
import { sendJson, wantsAggregatedDiscovery } from './http-util.js';
import { openApiV2Document } from './openapi-v2.js';
import { openApiV3Document, openApiV3Index } from './openapi-v3.js';

function notFoundPage(res: ServerResponse): void {
  sendJson(res, 404, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server could not find the requested resource',
    reason: 'NotFound',
    details: {},
    code: 404,
  });
}

/** Serves discovery, OpenAPI, /version and health paths; returns false when the path is not one. */
export function routeDiscovery(
  registry: ResourceRegistry,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): boolean {
  const parts = pathname.split('/').filter((p) => p !== '');
  const accept = req.headers.accept;
  const host = req.headers.host ?? '127.0.0.1';
  if (['healthz', 'livez', 'readyz'].includes(parts[0] ?? '') && parts.length <= 2) {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('ok');
    return true;
  }
  if (pathname === '/version' || pathname === '/version/') {
    sendJson(res, 200, VERSION_INFO);
    return true;
  }
  if (parts[0] === 'openapi') {
    // JSON only: a client that wants the protobuf encoding (kubectl's client-side validation of
    // a List) gets 404, as before, and falls back to the per-group v3 documents.
    if (parts[1] === 'v2' && parts.length === 2 && !/protobuf/.test(accept ?? ''))
      sendJson(res, 200, openApiV2Document(registry));
    else if (parts[1] === 'v2' && parts.length === 2) notFoundPage(res);
    else if (parts[1] === 'v3' && parts.length === 2) sendJson(res, 200, openApiV3Index(registry));
    else if (parts[1] === 'v3') {
      const doc =
        parts[2] === 'api' && parts.length === 4
          ? openApiV3Document(registry, '', parts[3]!)
          : parts[2] === 'apis' && parts.length === 5
            ? openApiV3Document(registry, parts[3]!, parts[4]!)
            : undefined;
      if (doc) sendJson(res, 200, doc);
      else notFoundPage(res);
    } else notFoundPage(res);
    return true;
  }
  if (parts[0] === 'api' && parts.length === 1) {
    if (wantsAggregatedDiscovery(accept))
      sendJson(res, 200, aggregatedDiscovery(registry, true), AGGREGATED_CONTENT_TYPE);
    else sendJson(res, 200, apiVersions(host));
    return true;
  }
  if (parts[0] === 'apis' && parts.length === 1) {
    if (wantsAggregatedDiscovery(accept))
      sendJson(res, 200, aggregatedDiscovery(registry, false), AGGREGATED_CONTENT_TYPE);
    else sendJson(res, 200, apiGroupList(registry));
    return true;
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const doc = apiGroupDoc(registry, parts[1]!);
    if (doc) sendJson(res, 200, doc);
    else notFoundPage(res);
    return true;
  }
  const gv =
    parts[0] === 'api' && parts.length === 2
      ? ['', parts[1]!]
      : parts[0] === 'apis' && parts.length === 3
        ? [parts[1]!, parts[2]!]
        : undefined;
  if (gv) {
    const doc = apiResourceList(registry, gv[0]!, gv[1]!);
    if (doc) sendJson(res, 200, doc);
    else notFoundPage(res);
    return true;
  }
  return false;
}
