import type { ChatResult, CompletionResult } from '../core/provider-adapter.js';
import { ProviderError } from '../core/provider-error.js';
import type { ChatCompletionRequest } from '../openai-types/chat-completion-request.js';
import type { CompletionRequest } from '../openai-types/completion-request.js';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  CompletionFinishReason,
  FinishReason,
  TextCompletion,
  TextCompletionChunk,
} from '../openai-types/responses.js';

/** Completions have no tool calls: any other finish is a plain stop. */
function completionFinish(f: FinishReason): CompletionFinishReason {
  return f === 'length' || f === 'content_filter' ? f : 'stop';
}

/** A legacy completion request as a one-message chat request (providers without /completions). */
export function completionToChatRequest(
  req: CompletionRequest,
  provider: string,
): ChatCompletionRequest {
  const prompt = req.prompt;
  if (Array.isArray(prompt) && (prompt.length !== 1 || typeof prompt[0] !== 'string')) {
    throw ProviderError.badRequest(
      `prompt: ${provider} accepts a single string prompt (no batches or token arrays)`,
      'prompt',
    );
  }
  for (const field of ['echo', 'suffix', 'best_of', 'logprobs'] as const) {
    if (req[field] != null && req[field] !== false && !(field === 'best_of' && req[field] === 1)) {
      throw ProviderError.badRequest(`${field} is not supported by ${provider}`, field);
    }
  }
  const text = typeof prompt === 'string' ? prompt : (prompt[0] as string);
  const { prompt: _p, echo: _e, suffix: _s, best_of: _b, logprobs: _l, ...rest } = req;
  return { ...rest, messages: [{ role: 'user', content: text }] };
}

/** Maps a chat result back to text_completion objects. */
export function chatResultToCompletion(result: ChatResult): CompletionResult {
  if (!result.stream) {
    return { stream: false, response: toTextCompletion(result.response), usage: result.usage };
  }
  const source = result.chunks;
  async function* run(): AsyncGenerator<TextCompletionChunk> {
    for await (const c of source) {
      if (c.choices.length === 0 && !c.usage) continue;
      const isRoleOnly = c.choices.every((ch) => !ch.delta.content && !ch.finish_reason);
      if (isRoleOnly && !c.usage) continue;
      yield chunkToText(c);
    }
  }
  return { stream: true, chunks: run(), usage: result.usage };
}

function toTextCompletion(r: ChatCompletion): TextCompletion {
  return {
    id: r.id,
    object: 'text_completion',
    created: r.created,
    model: r.model,
    choices: r.choices.map((c) => ({
      index: c.index,
      text: c.message.content ?? '',
      finish_reason: completionFinish(c.finish_reason),
      logprobs: null,
    })),
    ...(r.usage ? { usage: r.usage } : {}),
  };
}

function chunkToText(c: ChatCompletionChunk): TextCompletionChunk {
  return {
    id: c.id,
    object: 'text_completion',
    created: c.created,
    model: c.model,
    choices: c.choices.map((ch) => ({
      index: ch.index,
      text: ch.delta.content ?? '',
      finish_reason: ch.finish_reason ? completionFinish(ch.finish_reason) : null,
      logprobs: null,
    })),
    ...(c.usage ? { usage: c.usage } : {}),
  };
}
