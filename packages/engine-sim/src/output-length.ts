/**
 * How many tokens a simulated completion has when the request does not force it:
 * `max` always fills max_tokens; `fixed:N` is N tokens; `uniform:A-B` draws from [A, B] with
 * the request's seed. The result is capped by max_tokens (finish_reason "length") — a shorter
 * draw ends with finish_reason "stop", as if the model emitted EOS.
 */
export type OutputLengthSpec =
  { kind: 'max' } | { kind: 'fixed'; n: number } | { kind: 'uniform'; min: number; max: number };

export const DEFAULT_OUTPUT_LENGTH: OutputLengthSpec = { kind: 'uniform', min: 32, max: 256 };

/** Parses `max`, `fixed:N` or `uniform:A-B`; undefined when malformed. */
export function parseOutputLength(text: string): OutputLengthSpec | undefined {
  if (text === 'max') return { kind: 'max' };
  const fixed = /^fixed:(\d+)$/.exec(text);
  if (fixed && Number(fixed[1]) >= 1) return { kind: 'fixed', n: Number(fixed[1]) };
  const uni = /^uniform:(\d+)-(\d+)$/.exec(text);
  if (uni && Number(uni[1]) >= 1 && Number(uni[2]) >= Number(uni[1])) {
    return { kind: 'uniform', min: Number(uni[1]), max: Number(uni[2]) };
  }
  return undefined;
}

/** Draws a length from the spec with `random` in [0, 1). */
export function drawOutputLength(spec: OutputLengthSpec, random: () => number): number | undefined {
  switch (spec.kind) {
    case 'max':
      return undefined;
    case 'fixed':
      return spec.n;
    case 'uniform':
      return spec.min + Math.floor(random() * (spec.max - spec.min + 1));
  }
}
