import type { ProviderFeatures } from '../core/provider-adapter.js';
import { ProviderError } from '../core/provider-error.js';
import { findModel, type ResolvedProvider } from '../core/resolved-provider.js';
import type { ChatCompletionRequest } from '../openai-types/chat-completion-request.js';
import { estimatePromptTokens } from './estimate-tokens.js';

/**
 * Refuses, before any call, what the provider cannot serve: a model it does not offer,
 * features it lacks, a prompt plus completion larger than the model's context window.
 * Returns the estimated prompt tokens.
 */
export function checkChatRequest(
  provider: ResolvedProvider,
  features: ProviderFeatures,
  model: string,
  req: ChatCompletionRequest,
): number {
  checkModelOffered(provider, model);
  checkCapability(provider, model, 'chat');
  if (req.tools && req.tools.length > 0) checkCapability(provider, model, 'tools');
  if (
    req.messages.some(
      (m) => Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url'),
    )
  ) {
    checkCapability(provider, model, 'vision');
  }
  const who = `${provider.name} (${provider.type})`;
  if ((req.n ?? 1) > 1 && !features.multipleChoices) {
    throw ProviderError.badRequest(`n: ${who} returns a single choice; n must be 1`, 'n');
  }
  if ((req.logprobs || req.top_logprobs != null) && !features.logprobs) {
    throw ProviderError.badRequest(
      `logprobs: not supported by ${who}`,
      req.logprobs ? 'logprobs' : 'top_logprobs',
    );
  }
  if (
    req.logit_bias &&
    Object.keys(req.logit_bias).length > 0 &&
    provider.type !== 'openai' &&
    provider.type !== 'azure-openai' &&
    provider.type !== 'openai-compatible'
  ) {
    throw ProviderError.badRequest(`logit_bias: not supported by ${who}`, 'logit_bias');
  }
  if (!features.audio && (req.audio != null || req.modalities?.includes('audio'))) {
    throw ProviderError.badRequest(
      `modalities: audio output is not supported by ${who}`,
      'modalities',
    );
  }
  const rf = req.response_format?.type;
  if (rf === 'json_schema' && !features.jsonSchema) {
    throw ProviderError.badRequest(
      `response_format: json_schema is not supported by ${who}`,
      'response_format',
    );
  }
  if (rf === 'json_object' && !features.jsonObject) {
    throw ProviderError.badRequest(
      `response_format: json_object is not supported by ${who}`,
      'response_format',
    );
  }
  const estimate = estimatePromptTokens(req);
  checkContextWindow(
    provider,
    model,
    estimate,
    req.max_completion_tokens ?? req.max_tokens ?? undefined,
  );
  return estimate;
}

export function checkModelOffered(provider: ResolvedProvider, model: string): void {
  if (provider.models && provider.models.length > 0 && !findModel(provider, model)) {
    throw new ProviderError({
      status: 404,
      retryable: false,
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
      message: `model '${model}' is not offered by provider ${provider.name}`,
    });
  }
}

const capabilityParam: Record<string, string> = {
  chat: 'model',
  completions: 'model',
  embeddings: 'model',
  tools: 'tools',
  vision: 'messages',
};

/** Refuses a request kind the Provider spec does not list for the model. */
export function checkCapability(
  provider: ResolvedProvider,
  model: string,
  capability: string,
): void {
  const caps = findModel(provider, model)?.capabilities;
  if (!caps || caps.includes(capability)) return;
  throw ProviderError.badRequest(
    `model '${model}' of provider ${provider.name} does not offer '${capability}' (it offers: ${caps.join(', ')})`,
    capabilityParam[capability] ?? 'model',
  );
}

export function checkContextWindow(
  provider: ResolvedProvider,
  model: string,
  promptTokens: number,
  maxTokens: number | undefined,
): void {
  const m = findModel(provider, model);
  if (m?.maxOutputTokens && maxTokens && maxTokens > m.maxOutputTokens) {
    throw ProviderError.badRequest(
      `max_tokens: ${maxTokens} exceeds ${model}'s maximum output of ${m.maxOutputTokens} tokens`,
      'max_tokens',
    );
  }
  if (!m?.contextWindow) return;
  const total = promptTokens + (maxTokens ?? 0);
  if (total > m.contextWindow) {
    throw new ProviderError({
      status: 400,
      retryable: false,
      type: 'invalid_request_error',
      code: 'context_length_exceeded',
      param: 'messages',
      message:
        `This model's maximum context length is ${m.contextWindow} tokens; the request needs about ` +
        `${total} (${promptTokens} in the messages, ${maxTokens ?? 0} for the completion).`,
    });
  }
}
