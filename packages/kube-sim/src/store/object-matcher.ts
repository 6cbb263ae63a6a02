import { matchesFields, parseFieldSelector } from './field-selector.js';
import { matchesLabels, parseLabelSelector } from './label-selector.js';
import type { KubeObject } from './types.js';

/** A predicate for a namespace, a label selector and a field selector (parse errors are 400s). */
export function objectMatcher(options: {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
}): (object: KubeObject) => boolean {
  const labels = parseLabelSelector(options.labelSelector);
  const fields = parseFieldSelector(options.fieldSelector);
  const namespace = options.namespace;
  return (obj) =>
    (!namespace || obj.metadata.namespace === namespace) &&
    matchesLabels(labels, obj.metadata.labels) &&
    matchesFields(fields, obj);
}
