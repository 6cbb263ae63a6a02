import { describe, expect, it } from 'vitest';
import { createAnthropicAdapter } from '../anthropic/anthropic-adapter.js';
import { ProviderError } from '../core/provider-error.js';
import type { ResolvedProvider } from '../core/resolved-provider.js';
import { createGeminiAdapter } from '../gemini/gemini-adapter.js';
import type { ChatCompletionRequest } from '../openai-types/chat-completion-request.js';
import { checkChatRequest } from './check-chat-request.js';

const anthropic: ResolvedProvider = {
  name: 'ns/claude',
  type: 'anthropic',
  models: [
    { name: 'claude-small', contextWindow: 100, maxOutputTokens: 50, capabilities: ['chat'] },
  ],
};
const req = (extra: Partial<ChatCompletionRequest>): ChatCompletionRequest => ({
  model: 'route',
  messages: [{ role: 'user', content: 'hello there' }],
  ...extra,
});

function refusal(fn: () => unknown): ProviderError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProviderError) return e;
    throw e;
  }
  throw new Error('expected a ProviderError');
}

describe('checkChatRequest', () => {
  const features = createAnthropicAdapter().features;
  it('accepts a request the provider can serve and returns the prompt estimate', () => {
    expect(
      checkChatRequest(anthropic, features, 'claude-small', req({ max_tokens: 10 })),
    ).toBeGreaterThan(0);
  });
  it.each([
    ['n', req({ n: 2 }), 'n', 400],
    ['logprobs', req({ logprobs: true }), 'logprobs', 400],
    [
      'json_schema',
      req({ response_format: { type: 'json_schema', json_schema: { name: 'x' } } }),
      'response_format',
      400,
    ],
    [
      'tools (capability)',
      req({ tools: [{ type: 'function', function: { name: 'f' } }] }),
      'tools',
      400,
    ],
    ['max_tokens over max output', req({ max_tokens: 60 }), 'max_tokens', 400],
    [
      'context window',
      req({ messages: [{ role: 'user', content: 'x'.repeat(400) }], max_tokens: 10 }),
      'messages',
      400,
    ],
  ])('refuses %s before any call', (_n, r, param, status) => {
    const e = refusal(() => checkChatRequest(anthropic, features, 'claude-small', r));
    expect(e.status).toBe(status);
    expect(e.param).toBe(param);
    expect(e.retryable).toBe(false);
  });
  it('reports context_length_exceeded with the window in the message', () => {
    const e = refusal(() =>
      checkChatRequest(
        anthropic,
        features,
        'claude-small',
        req({ messages: [{ role: 'user', content: 'x'.repeat(400) }] }),
      ),
    );
    expect(e.code).toBe('context_length_exceeded');
    expect(e.message).toContain('100 tokens');
  });
  it('refuses a model the provider does not offer with a 404', () => {
    expect(
      refusal(() => checkChatRequest(anthropic, features, 'claude-big', req({}))),
    ).toMatchObject({ status: 404, code: 'model_not_found' });
  });
  it('lets Gemini serve n > 1 and json_object', () => {
    const gemini: ResolvedProvider = { name: 'g', type: 'gemini' };
    expect(() =>
      checkChatRequest(
        gemini,
        createGeminiAdapter().features,
        'gemini-x',
        req({ n: 2, response_format: { type: 'json_object' } }),
      ),
    ).not.toThrow();
  });
});
