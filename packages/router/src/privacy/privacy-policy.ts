import { parseDuration, type PrivacyAction, type RoutePrivacy } from '@bascule/spec';
import { customPattern, type CustomPattern } from './detect/custom-pattern.js';
import { DETECTORS } from './detect/detectors.js';
import type { Detector } from './detect/finding.js';

/** A Route's `privacy` ready to run: each class with its detector and action. */
export interface PrivacyPolicy {
  builtIn: readonly { detector: Detector; action: PrivacyAction }[];
  custom: readonly { pattern: CustomPattern; action: PrivacyAction }[];
  scanTimeoutMs: number;
}

// A memo of a pure function over immutable spec objects (a new spec is a new object): custom
// patterns are compiled once per Route generation, not per request.
const compiled = new WeakMap<RoutePrivacy, PrivacyPolicy>();

/** The runnable policy of a Route's `privacy` (patterns compiled with RE2 once per spec). */
export function privacyPolicyOf(privacy: RoutePrivacy): PrivacyPolicy {
  let p = compiled.get(privacy);
  if (!p) {
    p = {
      builtIn: privacy.detect.map((d) => ({ detector: DETECTORS[d.class], action: d.action })),
      custom: (privacy.patterns ?? []).map((c) => ({
        pattern: customPattern(c.name, c.regex),
        action: c.action,
      })),
      scanTimeoutMs: parseDuration(privacy.scanTimeout),
    };
    compiled.set(privacy, p);
  }
  return p;
}

/** Strictest first: a refusal beats keeping in the cluster, which beats redacting. */
const RANK: Readonly<Record<PrivacyAction, number>> = { refuse: 3, keep: 2, redact: 1 };

export function strictestAction(actions: Iterable<PrivacyAction>): PrivacyAction | undefined {
  let best: PrivacyAction | undefined;
  for (const a of actions) if (!best || RANK[a] > RANK[best]) best = a;
  return best;
}
