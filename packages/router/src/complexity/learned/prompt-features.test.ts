import { describe, expect, it } from 'vitest';
import { samplePrompt } from '../prompt-sample.js';
import {
  DENSE_COUNT,
  DENSE_FEATURES,
  blockOffsets,
  createFeatureBuffer,
  dotFeatures,
  extractFeatures,
  type FeatureShape,
} from './prompt-features.js';

const shape: FeatureShape = { wordBits: 10, charBits: 8 };
const sample = (text: string) => samplePrompt([{ role: 'user', content: text }]);

function features(text: string, withNames = false) {
  const buf = createFeatureBuffer();
  const names: string[] = [];
  extractFeatures(sample(text), shape, buf, withNames ? names : undefined);
  const dense = Object.fromEntries(DENSE_FEATURES.map((f, i) => [f, buf.val[i]!]));
  return { buf, dense, names: names.slice(0, buf.n) };
}

describe('prompt features', () => {
  it('puts the dense features first, then hashed words and characters in their blocks', () => {
    const { buf } = features('Prove that 2 + 2 = 4.');
    const off = blockOffsets(shape);
    for (let k = 0; k < DENSE_COUNT; k++) expect(buf.idx[k]).toBe(k);
    for (let k = DENSE_COUNT; k < buf.n; k++) {
      expect(buf.idx[k]).toBeGreaterThanOrEqual(off.word);
      expect(buf.idx[k]).toBeLessThan(off.total);
    }
  });

  it('scales each hashed block to unit length (1/sqrt(count) per entry)', () => {
    const { buf } = features('one two three four');
    const { char } = blockOffsets(shape);
    let words = 0;
    let wordSq = 0;
    let charSq = 0;
    for (let k = DENSE_COUNT; k < buf.n; k++) {
      const v = buf.val[k]!;
      if (buf.idx[k]! < char) {
        words++;
        wordSq += v * v;
      } else charSq += v * v;
    }
    expect(words).toBe(7); // 4 words + 3 bigrams
    expect(wordSq).toBeCloseTo(1, 12);
    expect(charSq).toBeCloseTo(1, 12);
  });

  it('names every pair for explain: words, bigrams, character trigrams, dense features', () => {
    const { names } = features('Prove it. Then explain', true);
    expect(names.slice(0, DENSE_COUNT)).toEqual([...DENSE_FEATURES]);
    expect(names).toContain('word:prove');
    expect(names).toContain('words:prove it');
    expect(names).not.toContain('words:it then'); // a full stop ends the bigram chain
    expect(names).toContain('words:then explain');
    expect(names).toContain('chars:pro');
  });

  it('reads code, maths, options, scripts and structure into the dense features', () => {
    const mc = features('Which is larger?\nA. 3\nB. 4\nC. 5\nD. 6').dense;
    expect(mc.optionLines).toBeGreaterThan(0.4);
    expect(mc.questionMarks).toBeGreaterThan(0);
    expect(mc.lines).toBeGreaterThan(0);
    const code = features('Refactor this python function: ```def f(x): return {x};```').dense;
    expect(code.codeWords).toBeGreaterThan(0.5);
    expect(code.codeMarks).toBeGreaterThan(0);
    const maths = features('Prove the integral of x^2 = 1/3 using \\frac{1}{3}').dense;
    expect(maths.mathsWords).toBeGreaterThan(0.5);
    expect(maths.latex).toBeGreaterThan(0);
    expect(features('请解释量子力学的基本原理').dense.cjk).toBeGreaterThan(0.9);
    expect(features('Объясните квантовую механику').dense.cyrillic).toBeGreaterThan(0.8);
    expect(
      features('Expliquez la mécanique quantique à un élève').dense.latinAccents,
    ).toBeGreaterThan(0);
    const tools = samplePrompt(
      [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: 'c' },
      ],
      3,
    );
    const buf = createFeatureBuffer();
    extractFeatures(tools, shape, buf);
    const at = (f: string) => buf.val[DENSE_FEATURES.indexOf(f as never)]!;
    expect(at('tools')).toBeGreaterThan(0);
    expect(at('userTurns')).toBeGreaterThan(0);
    expect(at('systemPrompt')).toBeGreaterThan(0);
  });

  it('gives the scoring path (dotFeatures) the same w · x as the extracted vector', () => {
    const w = new Float64Array(blockOffsets(shape).total).map((_, i) => Math.sin(i * 7.3));
    for (const text of [
      '',
      'Hi',
      'Prove that 2 + 2 = 4.\nA. yes\nB. no',
      'naïve café 東京 '.repeat(40),
    ]) {
      const buf = createFeatureBuffer();
      extractFeatures(sample(text), shape, buf);
      let z = 0;
      for (let k = 0; k < buf.n; k++) z += w[buf.idx[k]!]! * buf.val[k]!;
      expect(dotFeatures(sample(text), shape, w)).toBeCloseTo(z, 9);
    }
  });

  it('is deterministic, finite for empty input and can leave the character block out', () => {
    expect(features('same text').buf.idx.slice(0, 40)).toEqual(
      features('same text').buf.idx.slice(0, 40),
    );
    const empty = features('');
    expect(empty.buf.n).toBe(DENSE_COUNT);
    expect([...empty.buf.val.slice(0, DENSE_COUNT)].every(Number.isFinite)).toBe(true);
    const noChars: FeatureShape = { wordBits: 10, charBits: 0 };
    const buf = createFeatureBuffer();
    extractFeatures(sample('abc def'), noChars, buf);
    expect(blockOffsets(noChars).total).toBe(DENSE_COUNT + 1024);
    for (let k = 0; k < buf.n; k++) expect(buf.idx[k]).toBeLessThan(blockOffsets(noChars).total);
  });
});
