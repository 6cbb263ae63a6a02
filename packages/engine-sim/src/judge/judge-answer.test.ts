import { buildJudgePrompt, parseJudgeReply } from '@bascule/router';
import { describe, expect, it } from 'vitest';
import { judgeOrLabelledAnswer } from './judge-answer.js';
import { parseJudgeLabels } from './judge-labels.js';

const labels = parseJudgeLabels(
  [
    JSON.stringify({ prompt: 'What is 2+2?', weak_score: 1, strong_score: 1 }),
    JSON.stringify({ prompt: 'Prove Fermat', weak_score: 0.1, strong_score: 0.9 }),
    JSON.stringify({ prompt: 'Name a colour', scores: { small: 0.8, big: 0.3 } }),
  ].join('\n'),
);

describe('the simulated judge', () => {
  it('labelled prompts get answers that carry their hidden quality; others none', () => {
    expect(judgeOrLabelledAnswer(labels, 'Prove Fermat', 'm', 'weak')?.[0]).toBe(
      '⟦sim-quality 0.1⟧',
    );
    expect(judgeOrLabelledAnswer(labels, 'Prove Fermat', 'm', 'strong')?.[0]).toBe(
      '⟦sim-quality 0.9⟧',
    );
    expect(judgeOrLabelledAnswer(labels, 'Name a colour', 'big', 'strong')?.[0]).toBe(
      '⟦sim-quality 0.3⟧',
    );
    expect(judgeOrLabelledAnswer(labels, 'Unknown prompt', 'm', 'weak')).toBeUndefined();
  });

  it("reads the gateway's judge prompt and prefers the better hidden quality, in either order", () => {
    for (const [prompt, want] of [
      ['Prove Fermat', 'strong'],
      ['What is 2+2?', 'tie'],
      ['Name a colour', 'weak'],
    ] as const) {
      const weak = judgeOrLabelledAnswer(labels, prompt, 'small', 'weak')!.join('');
      const strong = judgeOrLabelledAnswer(labels, prompt, 'big', 'strong')!.join('');
      for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) {
        const j = buildJudgePrompt(prompt, weak, strong, id);
        const reply = judgeOrLabelledAnswer(labels, j.prompt, 'judge', 'strong')!.join('');
        expect(parseJudgeReply(reply, j.weakIs)).toBe(want);
      }
    }
  });

  it('names the line and field of a bad labels file', () => {
    expect(() => parseJudgeLabels('{"prompt":"x"}', 'f.jsonl')).toThrow(
      'f.jsonl:1: needs weak_score and strong_score, or scores',
    );
    expect(() => parseJudgeLabels('\n{"prompt":"x","weak_score":"hi"}', 'f.jsonl')).toThrow(
      'f.jsonl:2: weak_score must be a number',
    );
  });
});
