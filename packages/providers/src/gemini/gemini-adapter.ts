import type { CallContext, ProviderAdapter, ProviderFeatures } from '../core/provider-adapter.js';
import { chatResultToCompletion, completionToChatRequest } from '../shared/completion-via-chat.js';
import { parseJson } from '../shared/parse-json.js';
import { sendRequest } from '../shared/send-request.js';
import { toStreamResult } from '../shared/to-stream-result.js';
import { buildGeminiRequest } from './build-gemini-request.js';
import type { GeminiResponse } from './gemini-types.js';
import { buildGeminiEmbedRequest, mapGeminiEmbedResponse } from './map-gemini-embeddings.js';
import { mapGeminiResponse } from './map-gemini-response.js';
import { mapGeminiStream } from './map-gemini-stream.js';

export const DEFAULT_GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';
export const DEFAULT_GEMINI_API_VERSION = 'v1beta';

const features: ProviderFeatures = {
  embeddings: true,
  completions: true,
  multipleChoices: true,
  logprobs: false,
  audio: false,
  jsonSchema: true,
  jsonObject: true,
};

function modelUrl(ctx: CallContext, method: string): string {
  const p = ctx.provider;
  const base = (p.baseUrl ?? DEFAULT_GEMINI_BASE_URL).replace(/\/+$/, '');
  const model = encodeURIComponent(ctx.model.replace(/^models\//, ''));
  return `${base}/${p.apiVersion ?? DEFAULT_GEMINI_API_VERSION}/models/${model}:${method}`;
}

function authHeaders(ctx: CallContext): Record<string, string> {
  return ctx.provider.apiKey ? { 'x-goog-api-key': ctx.provider.apiKey } : {};
}

/** Gemini API (`generateContent`, `streamGenerateContent?alt=sse`, `batchEmbedContents`). */
export function createGeminiAdapter(): ProviderAdapter {
  const adapter: ProviderAdapter = {
    features,
    async chat(ctx, request) {
      const body = buildGeminiRequest(request);
      const res = await sendRequest(ctx, {
        url: request.stream
          ? modelUrl(ctx, 'streamGenerateContent?alt=sse')
          : modelUrl(ctx, 'generateContent'),
        headers: authHeaders(ctx),
        body,
      });
      if (request.stream) {
        const includeUsage = request.stream_options?.include_usage === true;
        return toStreamResult(
          res,
          ctx,
          mapGeminiStream(ctx.provider.name, ctx.model, includeUsage),
        );
      }
      const raw = parseJson<GeminiResponse>(await res.text(), ctx.provider.name);
      const response = mapGeminiResponse(raw, ctx.model);
      return { stream: false, response, usage: response.usage };
    },
    async completion(ctx, request) {
      return chatResultToCompletion(
        await adapter.chat(ctx, completionToChatRequest(request, ctx.provider.name)),
      );
    },
    async embeddings(ctx, request) {
      const body = buildGeminiEmbedRequest(request, ctx.model);
      const res = await sendRequest(ctx, {
        url: modelUrl(ctx, 'batchEmbedContents'),
        headers: authHeaders(ctx),
        body,
      });
      const raw = parseJson<{ embeddings?: { values?: number[] }[] }>(
        await res.text(),
        ctx.provider.name,
      );
      return mapGeminiEmbedResponse(raw, body, ctx.model);
    },
  };
  return adapter;
}
