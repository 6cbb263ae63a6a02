import type { ComplexityExplanation, ComplexityScorer } from '../complexity-scorer.js';
import type { PromptSample } from '../prompt-sample.js';
import { featureName, margin, sigmoid, type LogisticModel } from './logistic-model.js';
import { OnlineResidual, createOnlineState, type OnlineLearnerState } from './online-learner.js';
import {
  createFeatureBuffer,
  dotFeatures,
  extractFeatures,
  type FeatureBuffer,
} from './prompt-features.js';
import { loadRouterModel, type RouterModelArtefact } from './router-model-artefact.js';

export interface LearnedScorerOptions {
  /** The prior's artefact (default: the shipped one, see default-router-model.ts). */
  artefact: RouterModelArtefact;
  /** Residual weights learned online on top of the prior (feedback, shadow verdicts). */
  online?: OnlineLearnerState;
  /** How many features `explain` lists (largest |delta| first); default 5. */
  topFeatures?: number;
}

/** The learned scorer, with the online learner's two extra operations. */
export interface LearnedComplexityScorer extends ComplexityScorer {
  readonly version: string;
  /** P(strong model needed) and the features that moved it most. */
  explain(sample: PromptSample): ComplexityExplanation;
  /** Feeds one labelled outcome (1 = the strong model was needed) to the online learner. */
  learn(sample: PromptSample, label: 0 | 1): void;
  /**
   * Refits the online residual on its buffer of recent outcomes (full passes, cross-validated
   * L2; see online-learner.ts). `learn` does it on a schedule; call it after feeding a batch.
   * Returns false when the buffer is too small or off. Off the hot path: seconds at the cap.
   */
  refit(): boolean;
  /** The online learner's state, JSON-serialisable, to store or share. */
  onlineState(): OnlineLearnerState;
}

/**
 * The default complexity scorer: a calibrated logistic model over prompt features (see
 * prompt-features.ts), plus an optional online residual. `score` returns P(the strong model is
 * needed | prompt) in [0, 1]: one scan over the prompt dots its features with a single weight
 * vector (the calibrated prior, weighted by the learned α, plus the online residual, kept in step
 * by `learn`), then squashes. No allocation on the hot path.
 */
export function createLearnedComplexityScorer(opts: LearnedScorerOptions): LearnedComplexityScorer {
  const model: LogisticModel = loadRouterModel(opts.artefact);
  const version = opts.artefact.version;
  const online = new OnlineResidual(opts.online ?? createOnlineState(version));
  if (online.priorVersion !== version)
    throw new Error(
      `online learner state was learned on router model ${online.priorVersion}, not ${version}`,
    );
  const buf = createFeatureBuffer();
  const top = opts.topFeatures ?? 5;
  const { a, b } = model.calibration;
  const priorLogit = (x: FeatureBuffer) => a * margin(model, x) + b;
  // The hot path dots one vector: a·prior + residual, kept in step by `learn`.
  const combined = new Float64Array(model.weights.length);
  let combinedBias = 0;
  let alpha = online.priorWeight;
  const refresh = (indices: Iterable<number>) => {
    for (const i of indices) combined[i] = alpha * a * model.weights[i]! + online.weight(i);
    combinedBias = alpha * (a * model.bias + b) + online.intercept;
  };
  refresh(model.weights.keys());
  refresh(online.indices());

  return {
    name: 'learned',
    version,
    score(s: PromptSample): number {
      return sigmoid(combinedBias + dotFeatures(s, model.shape, combined));
    },
    explain(s: PromptSample): ComplexityExplanation {
      const names: string[] = [];
      extractFeatures(s, model.shape, buf, names);
      const prior = online.priorWeight * priorLogit(buf);
      const residual = online.margin(buf);
      // Each feature's share of the calibrated logit (prior and online residual together).
      const byName = new Map<string, number>();
      for (let k = 0; k < buf.n; k++) {
        const i = buf.idx[k]!;
        const delta = (online.priorWeight * a * model.weights[i]! + online.weight(i)) * buf.val[k]!;
        if (delta === 0) continue;
        const name = names[k] ?? featureName(model.shape, i);
        byName.set(name, (byName.get(name) ?? 0) + delta);
      }
      const contributions = [...byName.entries()]
        .map(([feature, delta]) => ({ feature, delta: Math.round(delta * 1e4) / 1e4 }))
        .filter((c) => c.delta !== 0)
        .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || (x.feature < y.feature ? -1 : 1))
        .slice(0, top);
      return {
        p: sigmoid(prior + residual),
        logit: prior + residual,
        contributions,
        model: version,
      };
    },
    learn(s: PromptSample, label: 0 | 1): void {
      extractFeatures(s, model.shape, buf);
      const refitted = online.update(buf, priorLogit(buf), label);
      if (refitted || online.priorWeight !== alpha) {
        alpha = online.priorWeight;
        refresh(model.weights.keys());
      } else refresh(buf.idx.subarray(0, buf.n));
    },
    refit(): boolean {
      if (!online.refit()) return false;
      alpha = online.priorWeight;
      refresh(model.weights.keys());
      return true;
    },
    onlineState: () => online.toState(),
  };
}
