import type { z } from 'zod';
import type { RequestContext } from './request-context.js';
import { sendVllmError } from './vllm-errors.js';
import { describeIssues } from './vllm-schemas.js';

/**
 * Parses a vLLM request body with its schema and makes the checks every generation endpoint
 * shares (stream_options only with stream, and no logprobs: engine-sim has none). Sends vLLM's
 * 400 and returns undefined on failure.
 */
export function parseVllmRequest<
  S extends z.ZodType<{ stream?: boolean | null; stream_options?: unknown }>,
>(
  ctx: RequestContext,
  schema: S,
  wantsLogprobs: (body: z.infer<S>) => boolean,
): z.infer<S> | undefined {
  const parsed = schema.safeParse(ctx.body);
  if (!parsed.success) {
    const { message, param } = describeIssues(parsed.error);
    sendVllmError(ctx.res, 400, message, param);
    return undefined;
  }
  const body = parsed.data;
  if (body.stream_options && !body.stream) {
    sendVllmError(
      ctx.res,
      400,
      'Stream options can only be defined when `stream=True`.',
      'stream_options',
    );
    return undefined;
  }
  if (wantsLogprobs(body)) {
    sendVllmError(
      ctx.res,
      400,
      'logprobs are not supported by engine-sim: it generates text without token probabilities.',
      'logprobs',
    );
    return undefined;
  }
  return body;
}

/** Outcome of vLLM's request checks: the settled numbers, or the error already sent. */
export type Checked = { ok: true; maxTokens: number; model: string; lora?: string } | { ok: false };

/**
 * The checks vLLM's serving layer makes before scheduling: the model exists, max_tokens is
 * positive, and prompt + max_tokens fits in --max-model-len (vLLM's exact wording).
 */
export function checkGeneration(
  ctx: RequestContext,
  model: string | null | undefined,
  promptTokens: number,
  requested: number | null | undefined,
): Checked {
  const { runtime, res } = ctx;
  const resolved = runtime.resolveModel(model ?? undefined);
  if (!resolved) {
    sendVllmError(res, 404, `The model \`${model}\` does not exist.`, 'model');
    return { ok: false };
  }
  const lora = resolved.lora !== undefined ? { lora: resolved.lora } : {};
  const maxLen = runtime.config.maxModelLen;
  if (requested !== undefined && requested !== null) {
    if (requested < 1) {
      sendVllmError(res, 400, `max_tokens must be at least 1, got ${requested}.`, 'max_tokens');
      return { ok: false };
    }
    if (promptTokens + requested > maxLen) {
      sendVllmError(
        res,
        400,
        `This model's maximum context length is ${maxLen} tokens. However, you requested ${promptTokens + requested} tokens (${promptTokens} in the messages, ${requested} in the completion). Please reduce the length of the messages or completion.`,
        'input_tokens',
      );
      return { ok: false };
    }
    return { ok: true, maxTokens: requested, model: resolved.name, ...lora };
  }
  if (promptTokens >= maxLen) {
    sendVllmError(
      res,
      400,
      `This model's maximum context length is ${maxLen} tokens. However, your request has ${promptTokens} input tokens. Please reduce the length of the input messages.`,
      'input_tokens',
    );
    return { ok: false };
  }
  return { ok: true, maxTokens: maxLen - promptTokens, model: resolved.name, ...lora };
}
