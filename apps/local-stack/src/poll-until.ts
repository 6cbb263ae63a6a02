/**
 * The launcher's one wait: asks `check` every `intervalMs` until it answers true (then true) or
 * `timeoutMs` has passed (then false). Product code, so it does not use the tests' waitFor.
 */
export async function pollUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
