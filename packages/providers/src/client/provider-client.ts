import { createAnthropicAdapter } from '../anthropic/anthropic-adapter.js';
import {
  sendAnthropicPassthrough,
  type AnthropicPassthroughResult,
} from '../anthropic/anthropic-passthrough.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import type {
  CallContext,
  ChatResult,
  CompletionResult,
  ProviderAdapter,
} from '../core/provider-adapter.js';
import { ProviderError } from '../core/provider-error.js';
import type { ProviderType, ResolvedProvider } from '../core/resolved-provider.js';
import { createGeminiAdapter } from '../gemini/gemini-adapter.js';
import type { EgressPolicy } from '../egress/egress-policy.js';
import { createHttpClient, type HttpClient } from '../http/http-client.js';
import { createOpenAIAdapter } from '../openai/openai-adapter.js';
import type { ChatCompletionRequest } from '../openai-types/chat-completion-request.js';
import type { CompletionRequest } from '../openai-types/completion-request.js';
import type { EmbeddingRequest } from '../openai-types/embedding-request.js';
import type { EmbeddingResponse } from '../openai-types/responses.js';
import { abortableSleep } from '../reliability/abortable-sleep.js';
import { computeBackoff } from '../reliability/compute-backoff.js';
import type { SharedLimits } from '../reliability/shared-limits.js';
import { transportError } from '../shared/send-request.js';
import {
  checkCapability,
  checkChatRequest,
  checkContextWindow,
  checkModelOffered,
} from '../validate/check-chat-request.js';
import { estimateTextTokens } from '../validate/estimate-tokens.js';
import { createLimitGate } from './create-limit-gate.js';
import { peekStream } from './peek-stream.js';

export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A 429 whose retry-after is longer than this fails at once (so the router can overflow). */
  maxRetryAfterMs: number;
  /** Cooldown after a 429 that carried no retry-after. */
  defaultCooldownMs: number;
}

export interface ProviderClientOptions {
  http?: HttpClient;
  /**
   * Where Provider base URLs may lead (checked per URL and per connection, see
   * createHttpClient's `egress`); without it (and without `http`) any address is called.
   */
  egress?: EgressPolicy;
  limits?: SharedLimits;
  logger?: Logger;
  retry?: Partial<RetryOptions>;
  /** Per-attempt timeout for response headers and between streamed events (default 120 s). */
  timeoutMs?: number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  adapters?: Partial<Record<ProviderType, ProviderAdapter>>;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** More request headers for the provider (a W3C traceparent when tracing). */
  headers?: Readonly<Record<string, string>>;
}

/** An untranslated Anthropic call: the client's `anthropic-beta` header is sent on. */
export interface AnthropicCallOptions extends CallOptions {
  anthropicBeta?: string;
}

/** Calls any provider with OpenAI shapes, with early checks, limits, cooldowns and retries. */
export interface ProviderClient {
  chat(
    provider: ResolvedProvider,
    model: string,
    request: ChatCompletionRequest,
    opts?: CallOptions,
  ): Promise<ChatResult>;
  completion(
    provider: ResolvedProvider,
    model: string,
    request: CompletionRequest,
    opts?: CallOptions,
  ): Promise<CompletionResult>;
  embeddings(
    provider: ResolvedProvider,
    model: string,
    request: EmbeddingRequest,
    opts?: CallOptions,
  ): Promise<EmbeddingResponse>;
  /**
   * Anthropic Messages without translation, for an Anthropic Provider: the client's body in
   * (its model replaced), Anthropic's answer out, with the same checks, limits and retries.
   */
  anthropicMessages(
    provider: ResolvedProvider,
    model: string,
    body: Record<string, unknown>,
    opts?: AnthropicCallOptions,
  ): Promise<AnthropicPassthroughResult>;
  close(): Promise<void>;
}

const DEFAULT_RESERVED_COMPLETION = 256;

export function createProviderClient(options: ProviderClientOptions = {}): ProviderClient {
  const ownHttp = options.http === undefined;
  const http =
    options.http ?? createHttpClient(options.egress ? { egress: { policy: options.egress } } : {});
  const logger = options.logger ?? silentLogger;
  const retry: RetryOptions = {
    maxRetries: 2,
    baseDelayMs: 250,
    maxDelayMs: 8_000,
    maxRetryAfterMs: 2_000,
    defaultCooldownMs: 1_000,
    ...options.retry,
  };
  const random = options.random ?? Math.random;
  const gate = createLimitGate(options.limits, logger);
  const sleep = options.sleep ?? abortableSleep;
  const openai = createOpenAIAdapter();
  const adapters: Record<ProviderType, ProviderAdapter> = {
    openai,
    'azure-openai': openai,
    'openai-compatible': openai,
    anthropic: createAnthropicAdapter(),
    gemini: createGeminiAdapter(),
    ...options.adapters,
  };

  async function execute<R>(
    provider: ResolvedProvider,
    model: string,
    reservedTokens: number,
    opts: CallOptions,
    call: (ctx: CallContext) => Promise<R>,
  ): Promise<R> {
    const name = provider.name;
    const ctx: CallContext = {
      provider,
      model,
      http: opts.headers ? withHeaders(http, opts.headers) : http,
      signal: opts.signal,
      timeoutMs: opts.timeoutMs ?? provider.timeoutMs ?? options.timeoutMs,
    };
    const maxRetries = provider.maxRetries ?? retry.maxRetries;
    let waitedForRetryAfter = false;
    for (let attempt = 0; ; attempt++) {
      try {
        if (opts.signal?.aborted) throw transportError(opts.signal.reason, ctx);
        // After waiting out a provider's own retry-after, our cooldown for it is over too.
        await gate.admit(provider, model, reservedTokens, waitedForRetryAfter);
        return await call(ctx);
      } catch (raw) {
        const err = raw instanceof ProviderError ? raw : transportError(raw, ctx);
        if (err.providerStatus === 429) {
          await gate.startCooldown(provider, err.retryAfterMs ?? retry.defaultCooldownMs);
        }
        const tooLong = err.retryAfterMs !== undefined && err.retryAfterMs > retry.maxRetryAfterMs;
        const local = err.code === 'provider_cooling_down' || err.code === 'provider_rate_limited';
        if (!err.retryable || local || tooLong || attempt >= maxRetries || opts.signal?.aborted) {
          logger.warn(
            {
              provider: name,
              type: provider.type,
              model,
              status: err.status,
              providerStatus: err.providerStatus,
              code: err.code,
              attempts: attempt + 1,
              error: err.message,
            },
            'provider call failed',
          );
          throw err;
        }
        const delay = err.retryAfterMs ?? computeBackoff(attempt, retry, random);
        waitedForRetryAfter = err.providerStatus === 429;
        logger.info(
          {
            provider: name,
            model,
            status: err.status,
            providerStatus: err.providerStatus,
            attempt: attempt + 1,
            delayMs: delay,
            error: err.message,
          },
          'retrying provider call',
        );
        try {
          await sleep(delay, opts.signal);
        } catch (abortErr) {
          throw transportError(abortErr, ctx);
        }
      }
    }
  }

  async function withStreamPeek<
    T extends ChatResult | CompletionResult | AnthropicPassthroughResult,
  >(result: T, provider: ResolvedProvider, model: string, reserved: number): Promise<T> {
    if (!result.stream) {
      gate.settle(provider, model, reserved, result.usage);
      return result;
    }
    void result.usage.then((u) => gate.settle(provider, model, reserved, u));
    return { ...result, chunks: await peekStream(result.chunks as AsyncIterable<unknown>) };
  }

  return {
    async chat(provider, model, request, opts = {}) {
      const adapter = adapters[provider.type];
      const prompt = checkChatRequest(provider, adapter.features, model, request);
      const reserved =
        prompt +
        (request.max_completion_tokens ?? request.max_tokens ?? DEFAULT_RESERVED_COMPLETION);
      gate.checkSize(provider, model, reserved);
      return execute(provider, model, reserved, opts, async (ctx) =>
        withStreamPeek(await adapter.chat(ctx, request), provider, model, reserved),
      );
    },
    async completion(provider, model, request, opts = {}) {
      const adapter = adapters[provider.type];
      checkModelOffered(provider, model);
      checkCapability(provider, model, 'completions');
      if (!adapter.features.completions)
        throw ProviderError.badRequest(
          `${provider.name} (${provider.type}) has no completions API`,
          'model',
        );
      const prompt = estimateTextTokens(request.prompt);
      checkContextWindow(provider, model, prompt, request.max_tokens ?? undefined);
      const reserved = prompt + (request.max_tokens ?? DEFAULT_RESERVED_COMPLETION);
      gate.checkSize(provider, model, reserved);
      return execute(provider, model, reserved, opts, async (ctx) =>
        withStreamPeek(await adapter.completion(ctx, request), provider, model, reserved),
      );
    },
    async embeddings(provider, model, request, opts = {}) {
      const adapter = adapters[provider.type];
      checkModelOffered(provider, model);
      checkCapability(provider, model, 'embeddings');
      if (!adapter.features.embeddings) {
        throw ProviderError.badRequest(
          `${provider.name} (${provider.type}) has no embeddings API`,
          'model',
        );
      }
      const reserved = estimateTextTokens(request.input);
      gate.checkSize(provider, model, reserved);
      return execute(provider, model, reserved, opts, async (ctx) => {
        const res = await adapter.embeddings(ctx, request);
        gate.settle(provider, model, reserved, {
          prompt_tokens: res.usage.prompt_tokens,
          completion_tokens: 0,
          total_tokens: res.usage.total_tokens,
        });
        return res;
      });
    },
    async anthropicMessages(provider, model, body, opts = {}) {
      if (provider.type !== 'anthropic')
        throw ProviderError.badRequest(
          `${provider.name} (${provider.type}) does not speak Anthropic Messages`,
          'model',
        );
      checkModelOffered(provider, model);
      const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : undefined;
      const prompt = estimateTextTokens(JSON.stringify(body.messages ?? []));
      checkContextWindow(provider, model, prompt, maxTokens);
      const reserved = prompt + (maxTokens ?? DEFAULT_RESERVED_COMPLETION);
      gate.checkSize(provider, model, reserved);
      return execute(provider, model, reserved, opts, async (ctx) =>
        withStreamPeek(
          await sendAnthropicPassthrough(ctx, body, opts.anthropicBeta),
          provider,
          model,
          reserved,
        ),
      );
    },
    async close() {
      if (ownHttp) await http.close();
    },
  };
}

/** `http` with `extra` headers on every request (the adapter's own headers win). */
function withHeaders(http: HttpClient, extra: Readonly<Record<string, string>>): HttpClient {
  return {
    send: (req) => http.send({ ...req, headers: { ...extra, ...req.headers } }),
    close: () => http.close(),
  };
}
