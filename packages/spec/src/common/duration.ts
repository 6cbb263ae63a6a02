import { z } from 'zod';

const DURATION = /^([0-9]+)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** A duration written as an integer and a unit: `500ms`, `30s`, `5m`, `1h`. */
export const duration = () =>
  z.string().regex(DURATION, {
    error: 'must be a duration: an integer followed by ms, s, m or h (e.g. "500ms", "30s", "5m")',
  });

/** Milliseconds in a duration string such as `2s`; throws on a malformed one. */
export function parseDuration(value: string): number {
  const match = DURATION.exec(value);
  if (!match) throw new Error(`invalid duration "${value}"`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
