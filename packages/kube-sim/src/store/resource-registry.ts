import { builtinResources } from './builtin-resources.js';
import type { ResourceType } from './resource-type.js';
import type { ResourceRef } from './types.js';

/** The resource types kube-sim serves: built-ins plus those defined by CRDs. */
export class ResourceRegistry {
  private readonly types = new Map<string, ResourceType>();
  private readonly listeners = new Set<() => void>();

  constructor(initial: ResourceType[] = builtinResources()) {
    for (const type of initial) this.types.set(key(type.group, type.resource), type);
  }

  /** The type serving `ref` at `ref.version`, or undefined. */
  get(ref: ResourceRef): ResourceType | undefined {
    const type = this.types.get(key(ref.group, ref.resource));
    return type && type.versions.includes(ref.version) ? type : undefined;
  }

  /** The type of a group and plural name, whatever version. */
  byGroupResource(group: string, resource: string): ResourceType | undefined {
    return this.types.get(key(group, resource));
  }

  /** The type of a group and kind (any version served). */
  byKind(group: string, kind: string): ResourceType | undefined {
    for (const type of this.types.values())
      if (type.group === group && type.kind === kind) return type;
    return undefined;
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }

  /** Groups in discovery order: core first, built-in groups, then CRD groups by name. */
  groups(): Array<{ group: string; versions: string[] }> {
    const byGroup = new Map<string, Set<string>>();
    const builtinOrder: string[] = [];
    for (const type of this.types.values()) {
      let versions = byGroup.get(type.group);
      if (!versions) {
        versions = new Set();
        byGroup.set(type.group, versions);
        if (!type.crd) builtinOrder.push(type.group);
      }
      for (const v of type.versions) versions.add(v);
    }
    const crdGroups = [...byGroup.keys()].filter((g) => !builtinOrder.includes(g)).sort();
    return [...builtinOrder, ...crdGroups].map((group) => ({
      group,
      versions: sortVersions([...(byGroup.get(group) ?? [])]),
    }));
  }

  /** Types served in one group-version. */
  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all().filter((t) => t.group === group && t.versions.includes(version));
  }

  add(type: ResourceType): void {
    this.types.set(key(type.group, type.resource), type);
    this.changed();
  }

  remove(group: string, resource: string): void {
    if (this.types.delete(key(group, resource))) this.changed();
  }

  /** Called after every change (discovery and OpenAPI caches listen). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

function key(group: string, resource: string): string {
  return `${group}/${resource}`;
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function sortVersions(versions: string[]): string[] {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    const stage = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stage, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  return [...versions].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2] || a.localeCompare(b);
  });
}
