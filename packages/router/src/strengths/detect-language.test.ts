import { describe, expect, it } from 'vitest';
import { MULTILINGUAL_PROMPTS } from '../testing/multilingual-prompts.js';
import { detectLanguage } from './detect-language.js';

describe('detectLanguage', () => {
  const cases = Object.entries(MULTILINGUAL_PROMPTS).flatMap(([lang, prompts]) =>
    prompts.map((p) => [lang, p] as const),
  );
  it.each(cases)('%s: %s', (lang, prompt) => {
    expect(detectLanguage(prompt)?.language).toBe(lang);
  });

  it('tells scripts by their characters and Latin languages by their words', () => {
    expect(detectLanguage('法国的首都是哪里？')?.by).toBe('script');
    expect(detectLanguage('Quelle est la capitale de la France ?')?.by).toBe('words');
  });

  it('reads a Chinese request with English identifiers and code as Chinese', () => {
    const p =
      '请修复这个函数，它在空列表上会报错：\n```python\ndef mean(xs):\n    return sum(xs) / len(xs)\n```';
    expect(detectLanguage(p)?.language).toBe('zh');
  });

  it('claims nothing it did not see: no letters, one word, bare code', () => {
    expect(detectLanguage('')).toBeUndefined();
    expect(detectLanguage('42 + 17 = ?')).toBeUndefined();
    expect(detectLanguage('Paris')).toBeUndefined();
    expect(detectLanguage('def f(x): return x * 2')).toBeUndefined();
  });

  it('is not fooled by option letters and variables in English maths', () => {
    const q =
      'Solve for y given that e^y = 3 and a = 2. A. 1.10 B. 2.20 C. 0.55 D. 3.30 E. 1.65 I. 0.0';
    expect(detectLanguage(q)?.language ?? 'en').toBe('en');
    expect(
      detectLanguage('What is the speed in miles per hour and in feet per second of a car?')
        ?.language,
    ).toBe('en');
  });
});
