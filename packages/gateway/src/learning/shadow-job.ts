import type { PromptSample } from '@bascule/router';
import type { ComplexityTier } from '@bascule/spec';

/** The BullMQ queue of shadow evaluations. */
export const SHADOW_QUEUE = 'shadow';

/** One shadow evaluation: ask the other tier the same prompt and let the judge compare. */
export interface ShadowJob {
  requestId: string;
  /** `{namespace}/{name}` of the Route (spend, weights). */
  route: string;
  /** The Route's name (re-read from the catalog before spending: it may have changed). */
  routeName: string;
  servedTier: ComplexityTier;
  /** The target that served the request, and its answer when the gateway had it whole. */
  served: string;
  answer?: string;
  /** What the other tier is asked: the request's messages (or completion prompt as one). */
  messages: { role: string; content: unknown }[];
  /** The question as the judge sees it (the last user message). */
  question: string;
  /** What the scorer read: the verdict's label is learned on it. */
  sample: PromptSample;
  privacyStrict: boolean;
}
