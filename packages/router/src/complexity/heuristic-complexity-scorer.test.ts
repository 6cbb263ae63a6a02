import { describe, expect, it } from 'vitest';
import { HARD_PROMPTS, SIMPLE_PROMPTS } from '../testing/prompt-set.js';
import { createHeuristicComplexityScorer } from './heuristic-complexity-scorer.js';
import { samplePrompt } from './prompt-sample.js';

const scorer = createHeuristicComplexityScorer();
const score = (text: string, tools = 0) =>
  scorer.score(samplePrompt([{ role: 'user', content: text }], tools));

describe('heuristic complexity scorer', () => {
  it.each(SIMPLE_PROMPTS)('simple: %s', (p) => {
    expect(score(p)).toBeLessThan(0.5);
  });
  it.each(HARD_PROMPTS)('hard: %s', (p) => {
    expect(score(p)).toBeGreaterThanOrEqual(0.5);
  });

  it('stays in [0,1] for empty and huge prompts', () => {
    expect(score('')).toBe(0);
    const huge = score('prove the integral step by step then explain ```code``` '.repeat(5000));
    expect(huge).toBeGreaterThan(0.5);
    expect(huge).toBeLessThanOrEqual(1);
  });

  it('raises the score with tools and conversation depth', () => {
    const base = score('Book a table for two tonight.');
    expect(score('Book a table for two tonight.', 4)).toBeGreaterThan(base);
    const deep = scorer.score(
      samplePrompt([
        ...Array.from({ length: 8 }, (_, i) => [
          { role: 'user', content: `turn ${i}` },
          { role: 'assistant', content: 'ok' },
        ]).flat(),
        { role: 'user', content: 'Book a table for two tonight.' },
      ]),
    );
    expect(deep).toBeGreaterThan(base);
  });

  it('reads text parts and the last user message only', () => {
    const s = samplePrompt([
      { role: 'system', content: 'You are terse.' },
      {
        role: 'user',
        content: [{ type: 'text', text: 'Prove the theorem.' }, { type: 'image_url' }],
      },
    ]);
    expect(s).toMatchObject({ lastUser: 'Prove the theorem.', userTurns: 1, systemChars: 14 });
  });
});
