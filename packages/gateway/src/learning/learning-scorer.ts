import {
  createDefaultComplexityScorer,
  createOnlineState,
  DEFAULT_BUFFER_CAP,
  DEFAULT_ROUTER_MODEL,
  type ComplexityScorer,
  type OnlineLearnerState,
  type PromptSample,
  type StrongNeeded,
} from '@bascule/router';

/**
 * The online learner's serialisable state: whatever the scorer writes, with an update count, and
 * optionally its refit buffer (recent labelled outcomes, oldest first), which the weights store
 * keeps apart from the weight versions (see weights-store.ts).
 */
export interface LearnerState {
  version: number;
  buffer?: unknown[];
}

/**
 * A complexity scorer that learns from labelled outcomes (packages/router's learned scorer
 * implements it: `learn` is one SGD step on the log-loss, `onlineState` its residual weights).
 * The gateway and the learning I/O only ever see this interface.
 */
export interface LearningScorer extends ComplexityScorer {
  learn(sample: PromptSample, label: StrongNeeded): void;
  onlineState(): LearnerState;
}

/**
 * Builds a scorer from stored online state (none: the shipped prior, untouched) and, for a writer
 * that will learn, the Route's buffered outcomes (stored apart from the weights).
 */
export type LearningScorerFactory = (
  state?: LearnerState,
  buffer?: readonly unknown[],
) => LearningScorer;

/** A Route's place in the shared learning state: `{namespace}/{name}`. */
export function routeKey(route: { metadata: { name: string; namespace?: string | undefined } }) {
  return `${route.metadata.namespace ?? 'default'}/${route.metadata.name}`;
}

/**
 * The router's learned scorer (shipped prior + online residual, packages/router) as the learner:
 * `learn` is one AdaGrad SGD step on the log-loss, `onlineState` the residual weights as JSON.
 */
export const defaultLearningScorerFactory: LearningScorerFactory = (stored, buffer) => {
  // Weights learned on top of another prior version do not apply to this one: start again from
  // this prior, and let its writer start a new buffer (the stored outcomes carry the old prior's
  // logits). See weights-store.ts.
  const state =
    (stored as OnlineLearnerState | undefined)?.priorVersion === DEFAULT_ROUTER_MODEL.version
      ? (stored as OnlineLearnerState)
      : undefined;
  const online = state ?? createOnlineState(DEFAULT_ROUTER_MODEL.version);
  if (!buffer) return createDefaultComplexityScorer({ online });
  // A writer: give the learner its buffer. States stored while the gateway's learners were
  // single-pass (bufferCap 0) start buffering now.
  return createDefaultComplexityScorer({
    online: {
      ...online,
      bufferCap: online.bufferCap || DEFAULT_BUFFER_CAP,
      buffer: (state || !stored ? buffer : []) as OnlineLearnerState['buffer'],
    },
  });
};
