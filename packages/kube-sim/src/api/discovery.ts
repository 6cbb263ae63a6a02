import { sortVersions, type ResourceRegistry, type ResourceType } from '../store/index.js';

const SUB_VERBS = ['get', 'patch', 'update'];

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0+kube-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function subresourcesOf(
  type: ResourceType,
): Array<{ name: string; group: string; version: string; kind: string; verbs?: string[] }> {
  const out: Array<{
    name: string;
    group: string;
    version: string;
    kind: string;
    verbs?: string[];
  }> = [];
  if (type.subresources.status)
    out.push({ name: 'status', group: type.group, version: '', kind: type.kind });
  if (type.subresources.scale)
    out.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale' });
  if (type.group === '' && type.resource === 'pods') {
    // kubectl drain looks for pods/eviction (kind Eviction, with its group) to use the Eviction API.
    out.push({
      name: 'eviction',
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
    out.push({ name: 'log', group: '', version: '', kind: 'Pod', verbs: ['get'] });
  }
  return out;
}

/** GET /api (legacy APIVersions). */
export function apiVersions(host: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
  };
}

function apiGroup(
  registry: ResourceRegistry,
  group: string,
  versions: string[],
): Record<string, unknown> {
  const sorted = sortVersions(versions);
  void registry;
  return {
    name: group,
    versions: sorted.map((v) => ({ groupVersion: `${group}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${group}/${sorted[0]}`, version: sorted[0] },
  };
}

/** GET /apis (legacy APIGroupList). */
export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groups()
      .filter((g) => g.group !== '')
      .map((g) => apiGroup(registry, g.group, g.versions)),
  };
}

/** GET /apis/{group} (legacy APIGroup), or undefined when the group is not served. */
export function apiGroupDoc(
  registry: ResourceRegistry,
  group: string,
): Record<string, unknown> | undefined {
  const g = registry.groups().find((x) => x.group === group && group !== '');
  return g && { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(registry, g.group, g.versions) };
}

/** GET /api/v1 or /apis/{group}/{version} (legacy APIResourceList), or undefined. */
export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const resources: Array<Record<string, unknown>> = [];
  for (const t of types) {
    resources.push({
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length > 0 ? { categories: t.categories } : {}),
    });
    for (const sub of subresourcesOf(t)) {
      resources.push({
        name: `${t.resource}/${sub.name}`,
        singularName: '',
        namespaced: t.namespaced,
        ...(sub.name === 'scale' || sub.name === 'eviction'
          ? { group: sub.group, version: sub.version }
          : {}),
        kind: sub.kind,
        verbs: sub.verbs ?? SUB_VERBS,
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources,
  };
}

export const AGGREGATED_CONTENT_TYPE =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Aggregated discovery (apidiscovery.k8s.io/v2) for /api (core=true) or /apis. */
export function aggregatedDiscovery(
  registry: ResourceRegistry,
  core: boolean,
): Record<string, unknown> {
  const groups = registry.groups().filter((g) => (g.group === '') === core);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: registry.inGroupVersion(g.group, v).map((t) => {
          const subs = subresourcesOf(t);
          return {
            resource: t.resource,
            responseKind: { group: t.group, version: v, kind: t.kind },
            scope: t.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: t.singular,
            verbs: t.verbs,
            ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
            ...(t.categories.length > 0 ? { categories: t.categories } : {}),
            ...(subs.length > 0
              ? {
                  subresources: subs.map((s) => ({
                    subresource: s.name,
                    responseKind: { group: s.group, version: s.version || v, kind: s.kind },
                    verbs: s.verbs ?? SUB_VERBS,
                  })),
                }
              : {}),
          };
        }),
        freshness: 'Current',
      })),
    })),
  };
}
