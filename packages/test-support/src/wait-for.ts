/**
 * Polls a condition until it returns a truthy value or the deadline passes (no fixed sleeps in
 * tests); a throwing check counts as "not yet", and its last error is in the timeout message.
 * The one wait helper of the tests (ADR 0030): `intervalMs` is shorter for a check that must see a
 * short-lived state (an engine's batch in flight), longer for one that is costly to ask.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
