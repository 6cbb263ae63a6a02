import { compileSafePattern } from '@bascule/spec';
import type { Finding } from './finding.js';

/** A Route's own pattern, compiled with RE2 (linear-time matching, no catastrophic backtracking). */
export interface CustomPattern {
  readonly class: string;
  /** Findings, stopping early (and saying so) once `overDeadline` answers true. */
  find(text: string, overDeadline: () => boolean): { findings: Finding[]; stopped: boolean };
}

/** How many matches between two looks at the clock. */
const CHECK_EVERY = 64;

export function customPattern(name: string, regex: string): CustomPattern {
  const re = compileSafePattern(regex);
  if (typeof re === 'string') throw new Error(`privacy.patterns ${name}: ${re}`);
  const cls = `custom:${name}`;
  return {
    class: cls,
    find(text, overDeadline) {
      const findings: Finding[] = [];
      const m = re.matcher(text);
      while (m.find()) {
        findings.push({ start: m.start(), end: m.end(), kind: cls });
        if (findings.length % CHECK_EVERY === 0 && overDeadline())
          return { findings, stopped: true };
      }
      return { findings, stopped: false };
    },
  };
}
