import { describe, expect, it } from 'vitest';
import { jsonDepth } from './json-depth.js';

describe('jsonDepth', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(jsonDepth('{"a":[{"b":1}]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[[{{{{"}')).toBe(1);
    expect(jsonDepth('{"a":"\\"[[["}')).toBe(1);
    expect(jsonDepth('"plain"')).toBe(0);
    // escapes: an even run of backslashes before a quote ends the string, an odd one does not
    expect(jsonDepth('{"a":"x\\\\","b":[[1]]}')).toBe(3);
    expect(jsonDepth('{"a":"x\\\\\\"[[","b":[1]}')).toBe(2);
    expect(jsonDepth('{"a":"unterminated [[[')).toBe(1);
  });

  it('agrees with a char-by-char scan on random texts', () => {
    const reference = (text: string): number => {
      let depth = 0;
      let max = 0;
      let inString = false;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inString) {
          if (c === '\\') i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '{' || c === '[') max = Math.max(max, ++depth);
        else if (c === '}' || c === ']') depth--;
      }
      return max;
    };
    const alphabet = ['{', '}', '[', ']', '"', '\\', 'a', ':', ','];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 2000; n++) {
      const text = Array.from(
        { length: 1 + Math.floor(rand() * 30) },
        () => alphabet[Math.floor(rand() * alphabet.length)],
      ).join('');
      expect(jsonDepth(text, 1000), text).toBe(reference(text));
    }
  });

  it('stops at the first level past the limit', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(jsonDepth(deep, 64)).toBe(65);
    expect(jsonDepth('['.repeat(64) + ']'.repeat(64), 64)).toBe(64);
  });
});
