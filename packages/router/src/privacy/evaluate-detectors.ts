import type { Detector } from './detect/finding.js';

export interface LabelledText {
  text: string;
  /** The class the text carries; undefined for a negative. */
  class?: string;
  kind: string;
}

export interface DetectorScore {
  class: string;
  positives: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  /** Kinds of the examples this detector got wrong, with counts (misses and false alarms). */
  errors: Record<string, number>;
}

/**
 * Precision and recall of each detector over a labelled set: a detector is right on an example
 * when it fires exactly when the example carries its class.
 */
export function evaluateDetectors(
  detectors: readonly Detector[],
  examples: readonly LabelledText[],
): DetectorScore[] {
  return detectors.map((d) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const errors: Record<string, number> = {};
    for (const e of examples) {
      const fired = d.find(e.text).length > 0;
      const expected = e.class === d.class;
      if (fired && expected) tp++;
      else if (fired) fp++;
      else if (expected) fn++;
      if (fired !== expected) {
        const k = `${fired ? 'false alarm' : 'miss'}: ${e.kind}`;
        errors[k] = (errors[k] ?? 0) + 1;
      }
    }
    return {
      class: d.class,
      positives: tp + fn,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
      precision: tp + fp === 0 ? 1 : tp / (tp + fp),
      recall: tp + fn === 0 ? 1 : tp / (tp + fn),
      errors,
    };
  });
}
