import { describe, expect, it } from 'vitest';
import { buildJudgePrompt, parseJudgeReply } from './judge-prompt.js';
import { labelFromGrade, labelFromVerdict } from './outcome-label.js';

describe('labelFromGrade', () => {
  it('a weak-tier answer graded bad means the strong model was needed; good means it was not', () => {
    expect(labelFromGrade('simple', 'bad').label).toBe(1);
    expect(labelFromGrade('simple', 0.2).label).toBe(1);
    expect(labelFromGrade('simple', 'good').label).toBe(0);
    expect(labelFromGrade('simple', 0.5).label).toBe(0);
  });
  it('grades of strong-tier or untiered answers give no label', () => {
    for (const g of ['good', 'bad', 0, 1] as const) {
      expect(labelFromGrade('complex', g).label).toBeUndefined();
      expect(labelFromGrade(undefined, g).label).toBeUndefined();
    }
    expect(labelFromGrade('complex', 'bad').why).toMatch(/strong tier/);
  });
});

describe('labelFromVerdict', () => {
  it('only a better strong answer says the strong model was needed', () => {
    expect(labelFromVerdict('strong')).toBe(1);
    expect(labelFromVerdict('weak')).toBe(0);
    expect(labelFromVerdict('tie')).toBe(0);
  });
});

describe('judge prompt', () => {
  it('puts the weak answer first for about half the ids and reads the reply back by position', () => {
    let first = 0;
    for (let i = 0; i < 400; i++) {
      const { prompt, weakIs } = buildJudgePrompt('Q?', 'weak answer', 'strong answer', `id${i}`);
      const a = prompt.indexOf('### Answer A\n') + '### Answer A\n'.length;
      expect(prompt.slice(a).startsWith(weakIs === 'A' ? 'weak answer' : 'strong answer')).toBe(
        true,
      );
      if (weakIs === 'A') first++;
      expect(parseJudgeReply(weakIs, weakIs)).toBe('weak');
      expect(parseJudgeReply(weakIs === 'A' ? 'B.' : 'a', weakIs)).toBe('strong');
    }
    expect(first).toBeGreaterThan(150);
    expect(first).toBeLessThan(250);
    expect(parseJudgeReply('Tie', 'A')).toBe('tie');
    expect(parseJudgeReply('I cannot say', 'A')).toBeUndefined();
  });
});
