import type { Condition } from '@bascule/spec';

/**
 * Sets one condition in a list, keeping `lastTransitionTime` when the status did not change
 * (metav1.Condition semantics: the time marks transitions, not updates). Returns a new list.
 */
export function upsertCondition(
  conditions: readonly Condition[],
  next: Omit<Condition, 'lastTransitionTime'>,
  now: Date,
): Condition[] {
  const previous = conditions.find((c) => c.type === next.type);
  const lastTransitionTime =
    previous && previous.status === next.status && previous.lastTransitionTime
      ? previous.lastTransitionTime
      : now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const condition: Condition = { ...next, lastTransitionTime };
  return previous
    ? conditions.map((c) => (c.type === next.type ? condition : c))
    : [...conditions, condition];
}

/** The condition of a type, if present. */
export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
