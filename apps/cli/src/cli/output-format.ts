import { UsageError } from './usage-error.js';

/** The -o value, checked against what the command supports. */
export function outputFormat<F extends string>(
  value: unknown,
  allowed: readonly F[],
  command: string,
): F {
  if (value === undefined) return allowed[0]!;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as F;
  throw new UsageError(
    `unknown output format ${JSON.stringify(value)}; use one of ${allowed.join(', ')}`,
    command,
  );
}
