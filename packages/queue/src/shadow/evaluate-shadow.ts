import {
  JUDGE_MAX_TOKENS,
  SHADOW_CALL_TIMEOUT_MS,
  SHADOW_MAX_TOKENS,
  buildJudgePrompt,
  decideShadow,
  labelFromVerdict,
  maxCallCostUSD,
  parseJudgeReply,
  providerCostUSD,
  resolveTargets,
  selfHostedCostUSD,
  tokensAtMost,
  type PromptSample,
  type RoutingCatalog,
  type ShadowJob,
  type ShadowSpend,
  type StrongNeeded,
  type Target,
  type Verdict,
} from '@bascule/router';
import type { ShadowAnswer, ShadowCaller } from './shadow-caller.js';

/**
 * Feeds labelled examples to a Route's online learner and stores the result as its next weights
 * version (the wiring passes the gateway's `applyExamples` over its weights store).
 */
export type ShadowLearner = (
  route: string,
  examples: readonly { sample: PromptSample; label: StrongNeeded }[],
  source: string,
) => Promise<{ version: number }>;

export interface ShadowDeps {
  catalog: () => RoutingCatalog;
  caller: ShadowCaller;
  spend: ShadowSpend;
  learn: ShadowLearner;
  now?: () => number;
}

export type ShadowOutcome =
  | { result: 'learned'; verdict: Verdict; label: 0 | 1; version: number; costUSD: number }
  | { result: 'skipped'; reason: string; costUSD: number };

/**
 * One shadow evaluation. Everything the gateway decided is decided again on the current Route
 * (it may have changed, and the spend has): privacy and the cap are checked here before any
 * call. Then: reserve the most the calls can cost (refused at the cap), ask the other tier (and
 * the served one again when the gateway did not have its whole answer, e.g. streamed), ask the
 * judge, settle the spend to what the calls cost, and feed the verdict's label to the Route's
 * online learner.
 */
export async function evaluateShadow(job: ShadowJob, deps: ShadowDeps): Promise<ShadowOutcome> {
  const at = new Date((deps.now ?? Date.now)());
  const catalog = deps.catalog();
  const route = catalog.route(job.routeName);
  const learning = route?.spec.learning;
  if (!route || !learning) return skipped('route-gone');
  const resolved = resolveTargets(catalog, job.routeName);
  const served =
    resolved.kind === 'route' ? resolved.targets.find((t) => t.name === job.served) : undefined;
  if (!served) return skipped('served-target-gone');
  const d = decideShadow({
    route,
    catalog,
    served,
    requestId: job.requestId,
    privacyStrict: job.privacyStrict,
    spentTodayUSD: await deps.spend.spent(job.route, at),
  });
  if (!d.shadow) return skipped(d.reason);
  const strict = !route.spec.allowExternal || job.privacyStrict;
  const promptChars = JSON.stringify(job.messages).length;
  const needServed = job.answer === undefined || job.answer === '';
  const judgeChars = job.question.length + 2 * SHADOW_MAX_TOKENS * 8 + 600;
  const estimate =
    maxCallCostUSD(d.other, tokensAtMost(promptChars), SHADOW_MAX_TOKENS) +
    (needServed ? maxCallCostUSD(served, tokensAtMost(promptChars), SHADOW_MAX_TOKENS) : 0) +
    maxCallCostUSD(d.judge, tokensAtMost(judgeChars), JUDGE_MAX_TOKENS);
  if (!(await deps.spend.reserve(job.route, estimate, learning.maxSpendPerDay, at)))
    return skipped('cap');
  let cost = 0;
  try {
    const ask = async (t: Target, messages: ShadowJob['messages'], maxTokens: number) => {
      const a = await deps.caller.call({
        model: t.name,
        messages,
        maxTokens,
        shadowOf: job.route,
        strict,
        timeoutMs: SHADOW_CALL_TIMEOUT_MS,
      });
      cost += costOf(t, a);
      return a.text;
    };
    const other = await ask(d.other, job.messages, SHADOW_MAX_TOKENS);
    const servedAnswer = needServed
      ? await ask(served, job.messages, SHADOW_MAX_TOKENS)
      : (job.answer ?? '');
    const [weak, strong] =
      d.servedTier === 'simple' ? [servedAnswer, other] : [other, servedAnswer];
    const { prompt, weakIs } = buildJudgePrompt(job.question, weak, strong, job.requestId);
    const reply = await ask(d.judge, [{ role: 'user', content: prompt }], JUDGE_MAX_TOKENS);
    const verdict = parseJudgeReply(reply, weakIs);
    if (!verdict) return { result: 'skipped', reason: 'judge-unreadable', costUSD: cost };
    const label = labelFromVerdict(verdict);
    const v = await deps.learn(job.route, [{ sample: job.sample, label }], 'shadow');
    return { result: 'learned', verdict, label, version: v.version, costUSD: cost };
  } finally {
    await deps.spend.settle(job.route, cost - estimate, at);
  }
}

function skipped(reason: string): ShadowOutcome {
  return { result: 'skipped', reason, costUSD: 0 };
}

/** What the gateway meters for the call (a Model: held for the call's time, unshared). */
function costOf(t: Target, a: ShadowAnswer): number {
  return t.kind === 'provider'
    ? providerCostUSD(t.providerModel, a.promptTokens, a.completionTokens)
    : selfHostedCostUSD(t.model, a.ms, 1);
}
