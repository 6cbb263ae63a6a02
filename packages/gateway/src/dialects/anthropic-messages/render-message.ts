import { randomBytes } from 'node:crypto';
import type { FinishReason } from '@bascule/providers';
import type { Answer, AnswerUsage } from '../core/answer.js';

/** Anthropic's stop_reason for a chat finish_reason. */
export function stopReasonOf(f: FinishReason | null): string | null {
  if (f === null) return null;
  if (f === 'length') return 'max_tokens';
  if (f === 'tool_calls' || f === 'function_call') return 'tool_use';
  if (f === 'content_filter') return 'refusal';
  return 'end_turn';
}

export function anthropicUsage(u: AnswerUsage): Record<string, unknown> {
  return {
    input_tokens: u.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: u.cachedInputTokens,
    cache_creation: null,
    output_tokens: u.outputTokens,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
  };
}

/** `msg_` and 24 hex digits. */
export function messageId(): string {
  return `msg_${randomBytes(12).toString('hex')}`;
}

/** A tool call's arguments as tool_use input (an object: Anthropic's input is never text). */
export function toolInput(args: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  try {
    const v = JSON.parse(args) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : { value: v };
  } catch {
    // Kept, not dropped: the model wrote something that is not JSON.
    return { _unparsed_arguments: args };
  }
}

/** The whole answer as an Anthropic Message. */
export function renderMessage(a: Answer, id: string, model: string): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  if (a.text.length > 0) content.push({ type: 'text', text: a.text });
  for (const t of a.toolCalls)
    content.push({ type: 'tool_use', id: t.id, name: t.name, input: toolInput(t.arguments) });
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReasonOf(a.finish),
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: anthropicUsage(a.usage),
  };
}
