// The API server's hand-written validation rules for built-in kinds that kube-sim's users depend
// on (pkg/apis/apps/validation and pkg/apis/core/validation), with the same field paths and words.
import { matchesSelector } from '../cluster/label-selector.js';
import type { LabelSelector } from '../cluster/kube-types.js';
import { parseQuantity } from '../cluster/quantity.js';
import { deepEqual } from '../store/object-utils.js';
import type { StatusCause } from '../store/status-error.js';
import type { KubeObject } from '../store/types.js';

const WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

interface Resources {
  requests?: Record<string, string | number>;
  limits?: Record<string, string | number>;
}

/** Go's %#v of a string map, as field.Invalid prints label maps. */
function goStringMap(map: Record<string, string> | undefined): string {
  if (!map) return 'map[string]string(nil)';
  const entries = Object.keys(map)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(map[k])}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** Go's %#v of a *metav1.LabelSelector, as ValidateImmutableField prints it. */
function goLabelSelector(s: LabelSelector | undefined): string {
  if (!s) return '(*v1.LabelSelector)(nil)';
  const exprs = s.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions
        .map(
          (e) =>
            `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:[]string{${(e.values ?? []).map((v) => JSON.stringify(v)).join(', ')}}}`,
        )
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprs}}`;
}

function isEmptySelector(s: LabelSelector): boolean {
  return Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
}

/** Resource names that may be overcommitted: cpu, memory, storage (kubernetes.io or no domain). */
function overcommitAllowed(name: string): boolean {
  if (name.startsWith('hugepages-')) return false;
  return (
    !name.includes('/') || name.startsWith('kubernetes.io/') || name.includes('.kubernetes.io/')
  );
}

function quantity(value: string | number): number | undefined {
  try {
    return parseQuantity(value);
  } catch {
    return undefined;
  }
}

/** ValidateResourceRequirements for one container. */
export function validateResources(resources: Resources | undefined, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const requests = resources?.requests ?? {};
  const limits = resources?.limits ?? {};
  for (const [name, value] of Object.entries({ ...limits, ...requests })) {
    const q = quantity(value);
    if (!overcommitAllowed(name) && q !== undefined && !Number.isInteger(q)) {
      const where = name in requests ? 'requests' : 'limits';
      causes.push({
        reason: 'FieldValueInvalid',
        field: `${path}.${where}[${name}]`,
        message: `Invalid value: ${JSON.stringify(String(value))}: must be an integer`,
      });
    }
  }
  for (const [name, value] of Object.entries(requests)) {
    const reqPath = `${path}.requests[${name}]`;
    const q = quantity(value);
    if (!(name in limits)) {
      if (!overcommitAllowed(name))
        causes.push({
          reason: 'FieldValueRequired',
          field: `${path}.limits[${name}]`,
          message: 'Required value: Limit must be set for non overcommitable resources',
        });
      continue;
    }
    const limit = limits[name]!;
    const l = quantity(limit);
    if (q === undefined || l === undefined) continue;
    if (q !== l && !overcommitAllowed(name)) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: reqPath,
        message: `Invalid value: ${JSON.stringify(String(value))}: must be equal to ${name} limit of ${String(limit)}`,
      });
    } else if (q > l) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: reqPath,
        message: `Invalid value: ${JSON.stringify(String(value))}: must be less than or equal to ${name} limit of ${String(limit)}`,
      });
    }
  }
  return causes;
}

interface PodSpecLike {
  containers?: Array<{ resources?: Resources }>;
  initContainers?: Array<{ resources?: Resources }>;
}

function validatePodSpec(spec: PodSpecLike | undefined, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const list of ['containers', 'initContainers'] as const) {
    (spec?.[list] ?? []).forEach((c, i) => {
      causes.push(...validateResources(c?.resources, `${path}.${list}[${i}].resources`));
    });
  }
  return causes;
}

interface WorkloadSpec {
  selector?: LabelSelector;
  template?: { metadata?: { labels?: Record<string, string> }; spec?: PodSpecLike };
}

/**
 * The semantic rules of the API server that the schema cannot express: a workload's selector is
 * non-empty, matches its template's labels and never changes; extended resources (nvidia.com/gpu)
 * are whole numbers with request equal to limit; a request is at most its limit.
 */
export function validateBuiltinSemantics(
  object: KubeObject,
  old: KubeObject | undefined,
): StatusCause[] {
  const causes: StatusCause[] = [];
  if (object.kind === 'Pod') {
    causes.push(...validatePodSpec(object['spec'] as PodSpecLike | undefined, 'spec'));
    return causes;
  }
  if (!WORKLOADS.has(object.kind)) return causes;
  const spec = (object['spec'] ?? {}) as WorkloadSpec;
  const selector = spec.selector;
  const labels = spec.template?.metadata?.labels;
  if (selector && isEmptySelector(selector)) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.selector',
      message: `Invalid value: ${goLabelSelector(selector)}: empty selector is invalid for ${object.kind.toLowerCase()}`,
    });
  } else if (selector && spec.template && !matchesSelector(selector, labels ?? {})) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      message: `Invalid value: ${goStringMap(labels)}: \`selector\` does not match template \`labels\``,
    });
  }
  const oldSelector = (old?.['spec'] as WorkloadSpec | undefined)?.selector;
  if (old && !deepEqual(selector, oldSelector)) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.selector',
      message: `Invalid value: ${goLabelSelector(selector)}: field is immutable`,
    });
  }
  causes.push(...validatePodSpec(spec.template?.spec, 'spec.template.spec'));
  return causes;
}
