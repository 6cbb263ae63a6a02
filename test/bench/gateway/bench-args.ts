/** Command-line options of the gateway benches: bad input exits 2 with a message naming it. */

export function usageError(message: string): never {
  console.error(message);
  process.exit(2);
}

/** `--name N`: an integer of at least `min` (`dflt` when absent). */
export function intArg(name: string, dflt: number, min: 0 | 1): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i < 0 ? dflt : Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < min)
    usageError(`--${name} must be ${min ? 'a positive' : 'a non-negative'} integer`);
  return v;
}

/** `--targets a,b`: names from `known` (all when absent), always with the bare proxy. */
export function targetsArg(known: readonly string[]): string[] {
  const i = process.argv.indexOf('--targets');
  const chosen = i < 0 ? [...known] : (process.argv[i + 1] ?? '').split(',');
  for (const t of chosen)
    if (!known.includes(t))
      usageError(`--targets: unknown target "${t}" (known: ${known.join(', ')})`);
  if (!chosen.includes('bare-proxy'))
    usageError('--targets must include bare-proxy (the baseline)');
  return chosen;
}
