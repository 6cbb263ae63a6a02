import type { ProviderAdapter, ProviderFeatures } from '../core/provider-adapter.js';
import { ProviderError } from '../core/provider-error.js';
import { findModel } from '../core/resolved-provider.js';
import { chatResultToCompletion, completionToChatRequest } from '../shared/completion-via-chat.js';
import { parseJson } from '../shared/parse-json.js';
import { sendRequest } from '../shared/send-request.js';
import { toStreamResult } from '../shared/to-stream-result.js';
import type { AnthropicResponse } from './anthropic-types.js';
import { buildAnthropicRequest } from './build-anthropic-request.js';
import { mapAnthropicResponse } from './map-anthropic-response.js';
import { mapAnthropicStream } from './map-anthropic-stream.js';

export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

const features: ProviderFeatures = {
  embeddings: false,
  completions: true,
  multipleChoices: false,
  logprobs: false,
  audio: false,
  jsonSchema: false,
  jsonObject: false,
};

/** Anthropic Messages API (`POST /v1/messages`, `x-api-key`, `anthropic-version`). */
export function createAnthropicAdapter(): ProviderAdapter {
  const adapter: ProviderAdapter = {
    features,
    async chat(ctx, request) {
      const p = ctx.provider;
      const body = buildAnthropicRequest(
        request,
        ctx.model,
        findModel(p, ctx.model)?.maxOutputTokens,
      );
      const res = await sendRequest(ctx, {
        url: `${(p.baseUrl ?? DEFAULT_ANTHROPIC_BASE_URL).replace(/\/+$/, '')}/v1/messages`,
        headers: {
          ...(p.apiKey ? { 'x-api-key': p.apiKey } : {}),
          'anthropic-version': p.apiVersion ?? DEFAULT_ANTHROPIC_VERSION,
        },
        body,
      });
      if (request.stream) {
        const includeUsage = request.stream_options?.include_usage === true;
        return toStreamResult(res, ctx, mapAnthropicStream(p.name, includeUsage));
      }
      const response = mapAnthropicResponse(parseJson<AnthropicResponse>(await res.text(), p.name));
      return { stream: false, response, usage: response.usage };
    },
    async completion(ctx, request) {
      return chatResultToCompletion(
        await adapter.chat(ctx, completionToChatRequest(request, ctx.provider.name)),
      );
    },
    embeddings(ctx) {
      return Promise.reject(
        ProviderError.badRequest(`${ctx.provider.name} (anthropic) has no embeddings API`, 'model'),
      );
    },
  };
  return adapter;
}
