import { describe, expect, it } from 'vitest';
import { extractUsage } from './extract-usage.js';

describe('extractUsage', () => {
  it.each([
    [
      '{"id":"x","choices":[],"usage":{"prompt_tokens":12,"total_tokens":20,"completion_tokens":8}}',
      { promptTokens: 12, completionTokens: 8 },
    ],
    [
      '{"usage": {"prompt_tokens": 5, "total_tokens": 5}}',
      { promptTokens: 5, completionTokens: 0 },
    ],
    ['{"choices":[{"text":"\\"usage\\" is a word"}],"usage":null}', undefined],
    ['{"choices":[]}', undefined],
  ])('%s', (text, want) => {
    expect(extractUsage(text)).toEqual(want);
  });
});
