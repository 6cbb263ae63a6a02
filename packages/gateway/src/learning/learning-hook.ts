import {
  decideShadow,
  type ComplexityScorer,
  type PromptSample,
  type RoutingCatalog,
  type ShadowJob,
  type ShadowSpend,
  type Target,
} from '@bascule/router';
import { parseDuration, type Route } from '@bascule/spec';
import type { LearnedScorers } from './learned-scorers.js';
import { routeKey } from './learning-scorer.js';
import type { OutcomeStore } from './outcome-store.js';

/** One request the gateway served on a Route, as the learning side sees it. */
export interface ServedRequest {
  requestId: string;
  route: Route;
  catalog: RoutingCatalog;
  target: Target;
  score?: number;
  sample: PromptSample;
  key: string;
  privacyStrict: boolean;
  messages: { role: string; content: unknown }[];
  answer?: string;
  at: number;
}

/** What the gateway asks of the learning side (every method is off the request path). */
export interface LearningHook {
  /** The Route's learned scorer, from memory; undefined: use the default. */
  scorerFor(route: Route): ComplexityScorer | undefined;
  /** After the answer went out: remember the request, maybe enqueue a shadow evaluation. */
  served(r: ServedRequest): void;
}

export interface LearningHookOptions {
  outcomes: OutcomeStore;
  spend: ShadowSpend;
  scorers?: LearnedScorers;
  enqueueShadow?: (job: ShadowJob) => Promise<void>;
  /** Counts a sampled request not shadowed, by reason (`skipped_cap`, `skipped_private`...). */
  count?: (route: string, field: string) => Promise<unknown>;
  onError?: (err: unknown, op: string) => void;
}

export function createLearningHook(options: LearningHookOptions): LearningHook {
  const fail = (op: string) => (err: unknown) => options.onError?.(err, op);
  async function served(r: ServedRequest): Promise<void> {
    const learning = r.route.spec.learning;
    if (!learning) return;
    const route = routeKey(r.route);
    await options.outcomes.remember(
      {
        requestId: r.requestId,
        route,
        target: r.target.name,
        ...(r.target.tier ? { tier: r.target.tier } : {}),
        ...(r.score !== undefined ? { score: r.score } : {}),
        sample: r.sample,
        key: r.key,
        at: r.at,
      },
      parseDuration(learning.rememberFor),
    );
    if (!options.enqueueShadow || learning.shadowRate <= 0) return;
    const spent = await options.spend.spent(route, new Date(r.at));
    const d = decideShadow({
      route: r.route,
      catalog: r.catalog,
      served: r.target,
      requestId: r.requestId,
      privacyStrict: r.privacyStrict,
      spentTodayUSD: spent,
    });
    if (!d.shadow) {
      if (d.reason !== 'not-sampled' && d.reason !== 'off')
        await options.count?.(route, `skipped_${d.reason}`);
      return;
    }
    await options.enqueueShadow({
      requestId: r.requestId,
      route,
      routeName: r.route.metadata.name,
      servedTier: d.servedTier,
      served: r.target.name,
      ...(r.answer !== undefined ? { answer: r.answer } : {}),
      messages: r.messages,
      question: r.sample.lastUser,
      sample: r.sample,
      privacyStrict: r.privacyStrict,
    });
  }
  return {
    scorerFor: (route) =>
      route.spec.learning ? options.scorers?.scorerFor(routeKey(route)) : undefined,
    served: (r) => void served(r).catch(fail('served')),
  };
}
