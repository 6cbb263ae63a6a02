import type { KubernetesObject } from '@kubernetes/client-node';
import {
  formatPath,
  validateResource,
  type Condition,
  type ConditionStatus,
  type ValidationResult,
} from '@bascule/spec';
import { upsertCondition } from '../status/upsert-condition.js';

/** What the Ready condition of a Route or a Provider says. */
export interface ReadyVerdict {
  status: ConditionStatus;
  reason: string;
  message: string;
}

/** The status of a Route or a Provider: Ready and the generation it was computed from. */
export interface ReadyStatus {
  observedGeneration?: number;
  conditions?: Condition[];
}

/** Validates an object, remembering the answer for that object (informers replace, never mutate). */
export type Validate = (object: KubernetesObject) => ValidationResult;

export function createValidationCache(): Validate {
  const cache = new WeakMap<KubernetesObject, ValidationResult>();
  return (object) => {
    let result = cache.get(object);
    if (!result) {
      result = validateResource(object);
      cache.set(object, result);
    }
    return result;
  };
}

/**
 * Ready=False/Invalid from a failed validation: each issue as `spec.field: rule`, the way
 * bascule and the REST API word it (kubectl applies skip the cross-field rules).
 */
export function invalidVerdict(result: ValidationResult): ReadyVerdict {
  const issues =
    result.status === 'invalid'
      ? result.issues.map((i) => `${formatPath(i.path).replace(/^\./, '')}: ${i.message}`)
      : [`not a Bascule ${result.kind}`];
  return { status: 'False', reason: 'Invalid', message: issues.join('; ') };
}

/** The next status: Ready set from the verdict (its transition time kept when unchanged). */
export function readyStatus(
  previous: ReadyStatus | undefined,
  generation: number,
  verdict: ReadyVerdict,
  now: Date,
): ReadyStatus {
  return {
    ...previous,
    observedGeneration: generation,
    conditions: upsertCondition(
      previous?.conditions ?? [],
      { type: 'Ready', ...verdict, observedGeneration: generation },
      now,
    ),
  };
}
