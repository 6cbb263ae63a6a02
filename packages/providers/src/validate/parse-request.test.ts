import { describe, expect, it } from 'vitest';
import { parseChatCompletionRequest, parseEmbeddingRequest } from './parse-request.js';

describe('parseChatCompletionRequest', () => {
  it('accepts a valid body and keeps unknown fields', () => {
    const r = parseChatCompletionRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      metadata: { a: 1 },
    });
    expect(r.metadata).toEqual({ a: 1 });
  });
  it.each([
    [{ model: 'm', messages: [] }, 'messages'],
    [{ model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 3 }, 'temperature'],
    [{ model: 'm', messages: [{ role: 'wizard', content: 'x' }] }, 'messages.0.role'],
    [{ messages: [{ role: 'user', content: 'x' }] }, 'model'],
  ])('refuses %j naming %s', (body, param) => {
    expect(() => parseChatCompletionRequest(body)).toThrow(
      expect.objectContaining({ status: 400, param }) as Error,
    );
  });
  it('refuses an embeddings body without input', () => {
    expect(() => parseEmbeddingRequest({ model: 'e' })).toThrow(
      expect.objectContaining({ param: 'input' }) as Error,
    );
  });
});
