import type { ProviderAdapter, ProviderFeatures } from '../core/provider-adapter.js';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  EmbeddingResponse,
  TextCompletion,
  TextCompletionChunk,
} from '../openai-types/responses.js';
import { parseJson } from '../shared/parse-json.js';
import { sendRequest } from '../shared/send-request.js';
import { toStreamResult } from '../shared/to-stream-result.js';
import { buildOpenAIHeaders, buildOpenAIUrl } from './build-openai-request.js';
import { mapOpenAIStream } from './map-openai-stream.js';
import { stripExtraContent } from './strip-extra-content.js';

const features: ProviderFeatures = {
  embeddings: true,
  completions: true,
  multipleChoices: true,
  logprobs: true,
  audio: true,
  jsonSchema: true,
  jsonObject: true,
};

/**
 * OpenAI, Azure OpenAI and OpenAI-compatible servers: the request passes through with the
 * provider's model name (Azure: the deployment in the path, `api-key` header).
 */
export function createOpenAIAdapter(): ProviderAdapter {
  return {
    features,
    async chat(ctx, request) {
      const messages =
        ctx.provider.type === 'openai-compatible'
          ? request.messages
          : stripExtraContent(request.messages);
      const body: Record<string, unknown> = { ...request, messages, model: ctx.model };
      const wantsUsage = request.stream_options?.include_usage === true;
      if (request.stream) body.stream_options = { ...request.stream_options, include_usage: true };
      const res = await sendRequest(ctx, {
        url: buildOpenAIUrl(ctx.provider, ctx.model, 'chat/completions'),
        headers: buildOpenAIHeaders(ctx.provider),
        body,
      });
      if (request.stream) {
        return toStreamResult(
          res,
          ctx,
          mapOpenAIStream<ChatCompletionChunk>(ctx.provider.name, wantsUsage),
        );
      }
      const response = parseJson<ChatCompletion>(await res.text(), ctx.provider.name);
      return { stream: false, response, usage: response.usage };
    },
    async completion(ctx, request) {
      const body: Record<string, unknown> = { ...request, model: ctx.model };
      const wantsUsage = request.stream_options?.include_usage === true;
      if (request.stream) body.stream_options = { ...request.stream_options, include_usage: true };
      const res = await sendRequest(ctx, {
        url: buildOpenAIUrl(ctx.provider, ctx.model, 'completions'),
        headers: buildOpenAIHeaders(ctx.provider),
        body,
      });
      if (request.stream) {
        return toStreamResult(
          res,
          ctx,
          mapOpenAIStream<TextCompletionChunk>(ctx.provider.name, wantsUsage),
        );
      }
      const response = parseJson<TextCompletion>(await res.text(), ctx.provider.name);
      return { stream: false, response, usage: response.usage ?? undefined };
    },
    async embeddings(ctx, request) {
      const res = await sendRequest(ctx, {
        url: buildOpenAIUrl(ctx.provider, ctx.model, 'embeddings'),
        headers: buildOpenAIHeaders(ctx.provider),
        body: { ...request, model: ctx.model },
      });
      return parseJson<EmbeddingResponse>(await res.text(), ctx.provider.name);
    },
  };
}
