/**
 * OpenAI response shapes we produce (output, so plain types rather than schemas).
 * https://platform.openai.com/docs/api-reference/chat/object
 * https://platform.openai.com/docs/api-reference/chat/streaming
 */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number };
}

export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[] | null;
  top_logprobs: { token: string; logprob: number; bytes: number[] | null }[];
}

/** Chat `logprobs` (only OpenAI-shaped upstreams fill it). */
export interface ChoiceLogprobs {
  content: TokenLogprob[] | null;
  refusal: TokenLogprob[] | null;
}

/** Legacy completions `logprobs`. */
export interface CompletionLogprobs {
  text_offset?: number[];
  token_logprobs?: number[];
  tokens?: string[];
  top_logprobs?: Record<string, number>[];
}

/** Provider data that must round-trip with a tool call (Gemini's thought signature). */
export interface ToolCallExtraContent {
  google?: { thought_signature?: string };
}

export interface ResponseToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  extra_content?: ToolCallExtraContent;
}

export interface ChatCompletionChoice {
  index: number;
  message: {
    role: 'assistant';
    content: string | null;
    refusal: string | null;
    tool_calls?: ResponseToolCall[];
  };
  finish_reason: FinishReason;
  logprobs: ChoiceLogprobs | null;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: ChatCompletionChoice[];
  usage?: Usage;
  system_fingerprint?: string;
}

export interface ChunkToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
  extra_content?: ToolCallExtraContent;
}

export interface ChatCompletionChunkChoice {
  index: number;
  delta: {
    role?: 'assistant';
    content?: string | null;
    refusal?: string | null;
    tool_calls?: ChunkToolCallDelta[];
  };
  finish_reason: FinishReason | null;
  logprobs: ChoiceLogprobs | null;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: ChatCompletionChunkChoice[];
  usage?: Usage | null;
  system_fingerprint?: string;
}

export type CompletionFinishReason = 'stop' | 'length' | 'content_filter';

export interface CompletionChoice {
  index: number;
  text: string;
  finish_reason: CompletionFinishReason;
  logprobs: CompletionLogprobs | null;
}

export interface TextCompletion {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  choices: CompletionChoice[];
  usage?: Usage;
  system_fingerprint?: string;
}

/** A streamed legacy completion: like TextCompletion, finish_reason null until the end. */
export interface TextCompletionChunk extends Omit<TextCompletion, 'choices'> {
  choices: (Omit<CompletionChoice, 'finish_reason'> & {
    finish_reason: CompletionFinishReason | null;
  })[];
}

export interface EmbeddingResponse {
  object: 'list';
  data: { object: 'embedding'; index: number; embedding: number[] | string }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}
