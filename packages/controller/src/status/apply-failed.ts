/**
 * The status of a Model whose objects the API server rejected for good (a 4xx other than
 * 409/429): Ready=False and Progressing=False, both with reason ApplyFailed and the API
 * server's message (pure).
 */
import type { ModelStatus } from '@bascule/spec';
import { upsertCondition } from './upsert-condition.js';

export function applyFailedStatus(
  base: ModelStatus,
  message: string,
  generation: number,
  now: Date,
): ModelStatus {
  let conditions = base.conditions ?? [];
  for (const type of ['Ready', 'Progressing'] as const) {
    conditions = upsertCondition(
      conditions,
      { type, status: 'False', reason: 'ApplyFailed', message, observedGeneration: generation },
      now,
    );
  }
  return { ...base, conditions };
}
