import {
  createDefaultComplexityScorer,
  createOnlineState,
  DEFAULT_ROUTER_MODEL,
  type ComplexityScorer,
  type OnlineLearnerState,
  type PromptSample,
  type StrongNeeded,
} from '@bascule/router';

/** The online learner's serialisable state: whatever the scorer writes, with an update count. */
export interface LearnerState {
  version: number;
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

/** Builds a scorer from stored online state (none: the shipped prior, untouched). */
export type LearningScorerFactory = (state?: LearnerState) => LearningScorer;

/** A Route's place in the shared learning state: `{namespace}/{name}`. */
export function routeKey(route: { metadata: { name: string; namespace?: string | undefined } }) {
  return `${route.metadata.namespace ?? 'default'}/${route.metadata.name}`;
}

/**
 * The router's learned scorer (shipped prior + online residual, packages/router) as the learner:
 * `learn` is one AdaGrad SGD step on the log-loss, `onlineState` the residual weights as JSON.
 */
export const defaultLearningScorerFactory: LearningScorerFactory = (state) =>
  createDefaultComplexityScorer({
    online:
      (state as OnlineLearnerState | undefined) ??
      createOnlineState(DEFAULT_ROUTER_MODEL.version, { bufferCap: GATEWAY_BUFFER_CAP }),
  });

/**
 * The gateway's learners keep no refit buffer yet (single-pass updates only): every stored weight
 * version carries the whole state, and a buffer of ~1.5 kB per outcome would make each version
 * megabytes that every gateway reloads. The buffer and its refit (what `pnpm eval routing
 * --learn` uses) come to the gateway once the buffer is stored apart from the versions.
 */
export const GATEWAY_BUFFER_CAP = 0;
