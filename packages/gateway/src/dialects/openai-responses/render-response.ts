import { randomBytes } from 'node:crypto';
import type { Answer, AnswerToolCall, AnswerUsage } from '../core/answer.js';
import type { ResponsesRequest } from './responses-request-schema.js';

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('hex')}`;
}

export function responsesUsage(u: AnswerUsage): Record<string, unknown> {
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cachedInputTokens },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.inputTokens + u.outputTokens,
  };
}

export function messageItem(id: string, text: string, status: string): Record<string, unknown> {
  return {
    type: 'message',
    id,
    status,
    role: 'assistant',
    content: status === 'in_progress' ? [] : [outputTextPart(text)],
  };
}

export function outputTextPart(text: string): Record<string, unknown> {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function functionCallItem(
  id: string,
  t: AnswerToolCall,
  status: string,
): Record<string, unknown> {
  return {
    type: 'function_call',
    id,
    call_id: t.id,
    name: t.name,
    arguments: t.arguments,
    status,
  };
}

/** What every Response object of one request shares (the request's settings, echoed). */
export interface ResponseFrame {
  id: string;
  createdAt: number;
  request: ResponsesRequest;
  stored: boolean;
}

/** A Response object: `output` and `usage` from the answer (none while in progress). */
export function renderResponse(
  f: ResponseFrame,
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed',
  model: string,
  output: Record<string, unknown>[],
  usage: AnswerUsage | null,
): Record<string, unknown> {
  const r = f.request;
  return {
    id: f.id,
    object: 'response',
    created_at: f.createdAt,
    status,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: r.instructions ?? null,
    max_output_tokens: r.max_output_tokens ?? null,
    model,
    output,
    parallel_tool_calls: r.parallel_tool_calls ?? true,
    previous_response_id: r.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    store: f.stored,
    temperature: r.temperature ?? null,
    text: { format: r.text?.format ?? { type: 'text' } },
    tool_choice: r.tool_choice ?? 'auto',
    tools: r.tools ?? [],
    top_p: r.top_p ?? null,
    truncation: 'disabled',
    usage: usage ? responsesUsage(usage) : null,
    ...(r.user !== undefined ? { user: r.user } : {}),
    metadata: r.metadata ?? {},
  };
}

/** The output items of a whole answer: the message (if it has text), then each call. */
export function outputOf(a: Answer): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (a.text.length > 0 || a.toolCalls.length === 0)
    out.push(messageItem(newId('msg'), a.text, 'completed'));
  for (const t of a.toolCalls) out.push(functionCallItem(newId('fc'), t, 'completed'));
  return out;
}

export function statusOf(a: Answer): 'completed' | 'incomplete' {
  return a.finish === 'length' ? 'incomplete' : 'completed';
}
