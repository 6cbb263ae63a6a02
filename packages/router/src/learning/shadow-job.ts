/**
 * The shadow-evaluation contracts: the gateway enqueues the job and checks the spend, the worker
 * evaluates the job and reserves the spend (its Redis ledger is the gateway's). Both import them
 * from here, below them.
 */
import type { PromptSample } from '../complexity/prompt-sample.js';
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

/**
 * Shadow and judge spend per Route and UTC day, shared by every gateway and worker. A shadow
 * evaluation first reserves an upper bound of what it may cost (refused when that would pass the
 * cap), then settles to what it did cost: the counter is never above the cap, whatever number of
 * workers run.
 */
export interface ShadowSpend {
  spent(route: string, at: Date): Promise<number>;
  /** Adds `usd` if the total stays within `cap`; false (nothing added) otherwise. */
  reserve(route: string, usd: number, cap: number, at: Date): Promise<boolean>;
  /** Corrects a reservation to the actual cost (`delta` = actual - reserved, usually < 0). */
  settle(route: string, delta: number, at: Date): Promise<void>;
}
