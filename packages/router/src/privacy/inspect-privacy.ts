import type { Route } from '@bascule/spec';
import { privacyPolicyOf } from './privacy-policy.js';
import { redactRequest, scanRequest, type PrivacyVerdict } from './scan-request.js';

export interface PrivacyInspection<T> {
  /** Set when a class fired (or the scan ran out of time). */
  verdict?: PrivacyVerdict;
  /** The body to send to a closed target, when the action is redact. */
  redacted?: T;
}

/**
 * The one privacy decision on a request's content: scan it with its Route's privacy.detect and
 * patterns, and when the action is redact, the body a closed target gets. No Route, or a Route
 * without `privacy`, costs nothing.
 */
export function inspectPrivacy<T>(
  body: T,
  route: Route | undefined,
  now: () => number,
): PrivacyInspection<T> {
  const privacy = route?.spec.privacy;
  if (!privacy || (privacy.detect.length === 0 && !privacy.patterns?.length)) return {};
  const policy = privacyPolicyOf(privacy);
  const verdict = scanRequest(body, policy, now);
  if (!verdict) return {};
  return verdict.action === 'redact'
    ? { verdict, redacted: redactRequest(body, policy) }
    : { verdict };
}
