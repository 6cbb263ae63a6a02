import { z } from 'zod';
import { dnsLabel } from '../common/dns-label.js';
import { duration } from '../common/duration.js';

/** The model that judges shadow answers: a Model of the namespace, or a Provider's model. */
export const RouteJudgeSchema = z.strictObject({
  model: z
    .string()
    .min(1)
    .max(256)
    .describe("Without provider: a Model in the Route's namespace. With provider: its model name."),
  provider: dnsLabel()
    .optional()
    .describe(
      'A Provider of the namespace: the judge is then external (not allowed on private Routes).',
    ),
});
export type RouteJudge = z.output<typeof RouteJudgeSchema>;

/**
 * How a Route teaches its complexity scorer from its own traffic: outcome feedback
 * (POST /api/v1/feedback, always on once `learning` is set) and shadow evaluation (a sampled
 * share of requests also goes to the tier not chosen, and a judge says which answer is better).
 */
export const RouteLearningSchema = z.strictObject({
  shadowRate: z
    .number()
    .min(0)
    .max(1)
    .default(0)
    .describe(
      'Share of served requests (0 to 1) also sent to the other tier and judged; 0 turns shadow evaluation off.',
    ),
  judge: RouteJudgeSchema.optional().describe(
    'The model that says which of two answers is better; needed when shadowRate > 0.',
  ),
  maxSpendPerDay: z
    .number()
    .nonnegative()
    .default(1)
    .describe(
      'Most USD per UTC day spent on shadow and judge calls for this Route; shadowing stops once reached.',
    ),
  rememberFor: duration()
    .default('24h')
    .describe(
      'How long the gateway keeps what a request was routed on (Route, tier, score, the sampled prompt) so feedback can grade it.',
    ),
});
export type RouteLearning = z.output<typeof RouteLearningSchema>;

interface CheckedLearning {
  strategy: string;
  allowExternal: boolean;
  learning?:
    | { shadowRate: number; judge?: { model: string; provider?: string | undefined } | undefined }
    | undefined;
}

/** Cross-field rules of `learning`: a private Route never judges with a closed model. */
export function checkRouteLearning(
  spec: CheckedLearning,
  issue: (path: (string | number)[], message: string) => void,
): void {
  const l = spec.learning;
  if (!l) return;
  if (spec.strategy !== 'complexity')
    issue(
      ['learning'],
      `learning teaches the complexity scorer: it needs strategy complexity (strategy is ${spec.strategy})`,
    );
  if (l.shadowRate > 0 && !l.judge)
    issue(['learning', 'judge'], 'shadowRate > 0 needs a judge (a Model or a Provider model)');
  if (!spec.allowExternal && l.judge?.provider !== undefined)
    issue(
      ['learning', 'judge', 'provider'],
      `allowExternal is false, so the judge may not be the external model ${l.judge.provider}/${l.judge.model}`,
    );
}
