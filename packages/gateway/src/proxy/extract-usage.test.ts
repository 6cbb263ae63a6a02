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
    // a key that is a value, or not followed by a number, is passed over for the next one
    [
      '{"usage":{"note":"prompt_tokens","prompt_tokens" :\n 7,"completion_tokens":"x","completion_tokens":9}}',
      { promptTokens: 7, completionTokens: 9 },
    ],
    ['{"usage":{"prompt_tokens":null,"completion_tokens":2}}', undefined],
    [
      '{"usage":{"prompt_tokens":1234567,"completion_tokens":0}}',
      { promptTokens: 1234567, completionTokens: 0 },
    ],
    [
      '{"choices":[{"message":{"content":"é 中 ✓"}}],"usage":{"prompt_tokens":3,"completion_tokens":4}}',
      { promptTokens: 3, completionTokens: 4 },
    ],
  ])('%s', (text, want) => {
    expect(extractUsage(text)).toEqual(want);
    // the bytes as they came from the engine read the same, without decoding the body
    expect(extractUsage(Buffer.from(text))).toEqual(want);
  });
});
