import type { RequestContext } from './request-context.js';
import { sendVllmError } from './vllm-errors.js';

/** Outcome of vLLM's request checks: the settled numbers, or the error already sent. */
export type Checked = { ok: true; maxTokens: number; model: string } | { ok: false };

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
    return { ok: true, maxTokens: requested, model: resolved.name };
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
  return { ok: true, maxTokens: maxLen - promptTokens, model: resolved.name };
}
