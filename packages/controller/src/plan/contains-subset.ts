/**
 * Whether `actual` has every field `desired` sets, with equal values (arrays element by element,
 * same length). Fields the server or other managers added are ignored: this is how drift of the
 * fields the controller renders is found without fighting server-side defaults.
 */
export function containsSubset(actual: unknown, desired: unknown): boolean {
  if (Array.isArray(desired)) {
    return (
      Array.isArray(actual) &&
      actual.length === desired.length &&
      desired.every((d, i) => containsSubset(actual[i], d))
    );
  }
  if (desired !== null && typeof desired === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    return Object.entries(desired as Record<string, unknown>).every(
      ([k, v]) => v === undefined || containsSubset(a[k], v),
    );
  }
  return actual === desired;
}
