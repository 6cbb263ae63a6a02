import { badRequest, type ResourceRegistry, type ResourceType } from '../store/index.js';

/** A request path resolved against the registry. */
export type ApiPath =
  | { kind: 'other' }
  | {
      kind: 'resource';
      type: ResourceType;
      group: string;
      version: string;
      resource: string;
      namespace: string | undefined;
      name: string | undefined;
      subresource: string | undefined;
    }
  | { kind: 'unknownResource' };

/**
 * Parses `/api/v1[/namespaces/{ns}]/{resource}[/{name}[/{sub}]]` and the `/apis/{g}/{v}/...`
 * forms. Discovery and OpenAPI paths return `{kind:'other'}`.
 */
export function parseApiPath(pathname: string, registry: ResourceRegistry): ApiPath {
  let parts: string[];
  try {
    parts = pathname
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);
  } catch {
    throw badRequest(`the request path is not valid URL encoding: ${pathname}`);
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return { kind: 'other' };
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !['status', 'finalize'].includes(rest[2]!)) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (!resource || extra.length > 0) return { kind: 'unknownResource' };
  const type = registry.get({ group, version, resource });
  if (!type) return { kind: 'unknownResource' };
  if (namespace !== undefined && !type.namespaced) return { kind: 'unknownResource' };
  return { kind: 'resource', type, group, version, resource, namespace, name, subresource };
}
