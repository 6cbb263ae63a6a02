import type { ModelStatus } from '@bascule/spec';
import { stableStringify } from '@bascule/engines';

/** Whether two statuses say the same thing (key order and absent-vs-undefined ignored). */
export function statusEqual(a: ModelStatus | undefined, b: ModelStatus | undefined): boolean {
  return stableStringify(a ?? {}) === stableStringify(b ?? {});
}
