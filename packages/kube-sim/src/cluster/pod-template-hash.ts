// The `pod-template-hash` label: FNV-1a (32 bit) over the pod template, rendered with the
// Kubernetes "safe" alphabet (no vowels, no look-alike digits) as the deployment controller does.
// Kubernetes hashes its Go struct dump; kube-sim hashes canonical JSON, so values differ from a
// real cluster's but have the same form and stability.
import type { PodTemplate } from './kube-types.js';

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * JSON with object keys sorted and null/undefined members left out (as Go decodes them: a
 * `creationTimestamp: null` kubectl sends equals an absent one), so equal objects give equal strings.
 */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function safeEncodeString(text: string): string {
  return [...text].map((ch) => ALPHANUMS[ch.charCodeAt(0) % ALPHANUMS.length]).join('');
}

/** The template without the pod-template-hash label, for comparing a Deployment's and a ReplicaSet's. */
export function templateWithoutHash(template: PodTemplate): PodTemplate {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels['pod-template-hash'];
  return { ...template, metadata: { ...(template.metadata ?? {}), labels } };
}

export function podTemplateHash(template: PodTemplate, collisionCount = 0): string {
  const text =
    stableStringify(templateWithoutHash(template)) +
    (collisionCount > 0 ? `#${collisionCount}` : '');
  return safeEncodeString(String(fnv32a(text)));
}

export function templatesEqual(a: PodTemplate, b: PodTemplate): boolean {
  return stableStringify(templateWithoutHash(a)) === stableStringify(templateWithoutHash(b));
}
