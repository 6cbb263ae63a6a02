import { z } from 'zod';

const DURATION = /^([0-9]+)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** A duration written as an integer and a unit: `500ms`, `30s`, `5m`, `1h`. */
export const duration = () =>
  z.string().regex(DURATION, {
    error: 'must be a duration: an integer followed by ms, s, m or h (e.g. "500ms", "30s", "5m")',
  });

/** Durations parsed so far: specs name a handful, and the router asks per request. */
const parsed = new Map<string, number>();

/** Milliseconds in a duration string such as `2s`; throws on a malformed one. */
export function parseDuration(value: string): number {
  const known = parsed.get(value);
  if (known !== undefined) return known;
  const match = DURATION.exec(value);
  if (!match) throw new Error(`invalid duration "${value}"`);
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  // bounded: a spec can only name so many, but a flood of distinct ones must not grow it
  if (parsed.size >= 1024) parsed.clear();
  parsed.set(value, ms);
  return ms;
}
