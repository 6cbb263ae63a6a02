import type { PrivacyAction } from '@bascule/spec';
import type { Finding } from './detect/finding.js';
import { strictestAction, type PrivacyPolicy } from './privacy-policy.js';
import { mapRequestTexts } from './request-texts.js';

/** Which classes fired in a request and the action taken: what audit records (never the text). */
export interface PrivacyVerdict {
  /** Classes that fired, sorted; `scan-timeout` when the scan ran out of time. */
  classes: readonly string[];
  action: PrivacyAction;
}

/** Texts longer than this are scanned window by window (the time bound is checked between). */
const WINDOW = 64 * 1024;
/** Windows overlap by this much, so a value across a window edge is still seen whole. */
const OVERLAP = 4 * 1024;

/** The class that stands for "not scanned in time": treated as sensitive (fail closed). */
export const SCAN_TIMEOUT_CLASS = 'scan-timeout';

/**
 * Runs a Route's detectors over every text of the request (see mapRequestTexts), within the
 * policy's time bound (`now` in ms is injected: the clock is the caller's). Past the bound the
 * request counts as carrying `scan-timeout`, whose action is the strictest configured, with
 * redact counting as keep: what was not scanned cannot be redacted, so it stays home.
 */
export function scanRequest(
  body: unknown,
  policy: PrivacyPolicy,
  now: () => number,
): PrivacyVerdict | undefined {
  const deadline = now() + policy.scanTimeoutMs;
  const over = () => now() > deadline;
  const fired = new Map<string, PrivacyAction>();
  let timedOut = false;
  const scan = (text: string) => {
    for (const { detector, action } of policy.builtIn) {
      if (!fired.has(detector.class) && detector.find(text).length > 0)
        fired.set(detector.class, action);
    }
    for (const { pattern, action } of policy.custom) {
      if (fired.has(pattern.class)) continue;
      const r = pattern.find(text, over);
      if (r.findings.length > 0) fired.set(pattern.class, action);
      if (r.stopped) return false;
    }
    return !over();
  };
  mapRequestTexts(body, (text) => {
    // A long text is scanned in overlapping windows, so the clock is read at least every window.
    for (let at = 0; !timedOut && at < Math.max(1, text.length); at += WINDOW)
      timedOut = !scan(text.length <= WINDOW ? text : text.slice(at, at + WINDOW + OVERLAP));
    return undefined;
  });
  if (timedOut) {
    const all = [...policy.builtIn, ...policy.custom].map((e) => e.action);
    const worst = strictestAction(all);
    fired.set(SCAN_TIMEOUT_CLASS, worst === 'refuse' ? 'refuse' : 'keep');
  }
  const action = strictestAction(fired.values());
  if (!action) return undefined;
  return { classes: [...fired.keys()].sort(), action };
}

/**
 * The request with every match of the policy's classes replaced by `[REDACTED:<class>]`, for a
 * closed target. Overlapping matches are merged (the first class to match names the span).
 */
export function redactRequest<T>(body: T, policy: PrivacyPolicy): T {
  return mapRequestTexts(body, (text) => {
    const spans: (Finding & { cls: string })[] = [];
    for (const { detector } of policy.builtIn)
      for (const f of detector.find(text)) spans.push({ ...f, cls: detector.class });
    for (const { pattern } of policy.custom)
      for (const f of pattern.find(text, () => false).findings)
        spans.push({ ...f, cls: pattern.class });
    if (spans.length === 0) return undefined;
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    let out = '';
    let at = 0;
    for (const s of spans) {
      if (s.end <= at) continue;
      if (s.start >= at) {
        out += text.slice(at, s.start) + `[REDACTED:${s.cls}]`;
      }
      at = Math.max(at, s.end);
    }
    return out + text.slice(at);
  });
}
