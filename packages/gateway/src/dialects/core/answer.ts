import type { ChatCompletion, ChatCompletionChunk, FinishReason, Usage } from '@bascule/providers';

/** The internal model of an answer, whatever target produced it and whatever dialect renders it. */
export interface Answer {
  /** The upstream's id (chat.completion id). */
  id: string;
  /** The model that answered (the served name or the provider's model). */
  model: string;
  text: string;
  toolCalls: AnswerToolCall[];
  finish: FinishReason | null;
  usage: AnswerUsage;
}

export interface AnswerToolCall {
  id: string;
  name: string;
  /** JSON text, as the model wrote it. */
  arguments: string;
}

export interface AnswerUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
}

/** What a streamed answer is made of, in order. */
export type AnswerEvent =
  | { type: 'start'; id: string; model: string }
  | { type: 'text'; delta: string }
  | { type: 'tool-start'; id: string; name: string }
  | { type: 'tool-args'; delta: string }
  | { type: 'finish'; reason: FinishReason }
  | { type: 'usage'; usage: AnswerUsage };

export function usageOf(u: Usage | null | undefined): AnswerUsage {
  return {
    inputTokens: u?.prompt_tokens ?? 0,
    outputTokens: u?.completion_tokens ?? 0,
    cachedInputTokens: u?.prompt_tokens_details?.cached_tokens ?? 0,
  };
}

/** A chat.completion (choice 0: dialects ask for one) as an Answer. */
export function answerFromChat(c: ChatCompletion): Answer {
  const choice = c.choices[0];
  return {
    id: c.id,
    model: c.model,
    text: choice?.message.content ?? '',
    toolCalls: (choice?.message.tool_calls ?? []).map((t) => ({
      id: t.id,
      name: t.function.name,
      arguments: t.function.arguments,
    })),
    finish: choice?.finish_reason ?? null,
    usage: usageOf(c.usage),
  };
}

/**
 * Chat chunks to answer events, keeping the state a stream needs: which tool call (by its
 * chunk index) is open, so a new index starts a new call.
 */
export class ChatChunkReader {
  private started = false;
  private toolIndex: number | undefined;

  read(chunk: ChatCompletionChunk): AnswerEvent[] {
    const out: AnswerEvent[] = [];
    if (!this.started) {
      this.started = true;
      out.push({ type: 'start', id: chunk.id, model: chunk.model });
    }
    const choice = chunk.choices?.[0];
    const delta = choice?.delta;
    if (delta?.content) out.push({ type: 'text', delta: delta.content });
    for (const tc of delta?.tool_calls ?? []) {
      // A call's id and name come with its first delta; a new index is a new call.
      if (tc.index !== this.toolIndex) {
        this.toolIndex = tc.index;
        out.push({
          type: 'tool-start',
          id: tc.id ?? `call_${tc.index}`,
          name: tc.function?.name ?? '',
        });
      }
      if (tc.function?.arguments) out.push({ type: 'tool-args', delta: tc.function.arguments });
    }
    if (choice?.finish_reason) out.push({ type: 'finish', reason: choice.finish_reason });
    if (chunk.usage) out.push({ type: 'usage', usage: usageOf(chunk.usage) });
    return out;
  }
}

/** Folds answer events into the whole answer (what a stream's closing event carries). */
export class AnswerBuilder {
  readonly answer: Answer = {
    id: '',
    model: '',
    text: '',
    toolCalls: [],
    finish: null,
    usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
  };

  add(e: AnswerEvent): void {
    const a = this.answer;
    if (e.type === 'start') {
      a.id = e.id;
      a.model = e.model;
    } else if (e.type === 'text') a.text += e.delta;
    else if (e.type === 'tool-start') a.toolCalls.push({ id: e.id, name: e.name, arguments: '' });
    else if (e.type === 'tool-args') {
      const last = a.toolCalls.at(-1);
      if (last) last.arguments += e.delta;
    } else if (e.type === 'finish') a.finish = e.reason;
    else a.usage = e.usage;
  }
}
