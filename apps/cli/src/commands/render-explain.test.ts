import { describe, expect, it } from 'vitest';
import { renderExplainHead, type Explain } from './render-explain.js';

const base: Explain = {
  decision: { action: 'send', target: 'openai/gpt-5', reason: 'complexity' },
  request: { promptTokens: 25, complexity: 0.7345 },
  explanation: { targets: [] },
};

describe('renderExplainHead', () => {
  it('shows the score, the threshold in force and where it came from, and the features', () => {
    const out = renderExplainHead({
      ...base,
      explanation: {
        targets: [],
        threshold: {
          value: 0.612,
          tieShare: 1,
          source: 'share',
          samples: 2000,
          recentShare: 0.295,
          targetShare: 0.305,
        },
        tier: 'complex',
        features: [
          { feature: 'maths', delta: 1.214 },
          { feature: 'length', delta: -0.4 },
        ],
      },
    });
    expect(out).toBe(
      'decision: send openai/gpt-5 (complexity)\n' +
        'prompt: ~25 tokens, complexity 0.735\n' +
        'threshold: 0.612 (strongShare: aiming at 30.5 % of 2000 recent scores, 29.5 % went complex): complex tier\n' +
        'features: maths +1.21, length -0.40\n',
    );
  });

  it('names the fixed, warm-up and quality thresholds, and a split tie', () => {
    const head = (threshold: NonNullable<Explain['explanation']['threshold']>) =>
      renderExplainHead({ ...base, explanation: { targets: [], threshold, tier: 'simple' } }).split(
        '\n',
      )[2];
    expect(head({ value: 0.45, tieShare: 1, source: 'fixed' })).toBe(
      'threshold: 0.45 (fixed complexityThreshold): simple tier',
    );
    expect(head({ value: 0.5, tieShare: 1, source: 'warm-up', samples: 7 })).toBe(
      'threshold: 0.5 (complexityThreshold while warming up: 7 recent scores): simple tier',
    );
    expect(head({ value: 0.2, tieShare: 1, source: 'quality' })).toBe(
      'threshold: 0.2 (minQuality): simple tier',
    );
    expect(
      head({ value: 0, tieShare: 0.125, source: 'share', samples: 100, targetShare: 0.3 }),
    ).toContain('ties 12.5 % complex');
  });

  it('shows what was detected and which strength decided', () => {
    const out = renderExplainHead({
      decision: { action: 'send', target: 'qwen3-32b', reason: 'strength:code' },
      request: { promptTokens: 12, complexity: null },
      explanation: {
        targets: [],
        detected: { language: 'zh', tasks: ['code'] },
        strength: { target: 'qwen3-32b', strength: 'code', matched: ['code', 'zh'] },
      },
    });
    expect(out).toBe(
      'decision: send qwen3-32b (strength:code)\n' +
        'prompt: ~12 tokens\n' +
        'detected: language zh, tasks code\n' +
        'strength: code (qwen3-32b matches code, zh)\n',
    );
    expect(
      renderExplainHead({
        ...base,
        explanation: { targets: [], detected: { tasks: [] } },
      }),
    ).toContain('detected: language none, tasks none');
  });

  it('names the privacy.detect classes that fired and the action, never the text', () => {
    const out = renderExplainHead({
      decision: { action: 'send', target: 'llama', reason: 'privacy' },
      request: { promptTokens: 12, complexity: null },
      explanation: { targets: [], privacy: { classes: ['email', 'payment-card'], action: 'keep' } },
    });
    expect(out).toBe(
      'decision: send llama (privacy)\nprompt: ~12 tokens\nprivacy: email, payment-card detected: keep\n',
    );
  });
});
