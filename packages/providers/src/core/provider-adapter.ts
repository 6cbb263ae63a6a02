import type { ChatCompletionRequest } from '../openai-types/chat-completion-request.js';
import type { CompletionRequest } from '../openai-types/completion-request.js';
import type { EmbeddingRequest } from '../openai-types/embedding-request.js';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  EmbeddingResponse,
  TextCompletion,
  TextCompletionChunk,
  Usage,
} from '../openai-types/responses.js';
import type { HttpClient } from '../http/http-client.js';
import type { ResolvedProvider } from './resolved-provider.js';

export interface CallContext {
  provider: ResolvedProvider;
  /** The provider's model name. */
  model: string;
  http: HttpClient;
  signal?: AbortSignal;
  /** Milliseconds to wait for response headers (and between streamed events). */
  timeoutMs?: number;
}

/** A stream of OpenAI objects; `usage` resolves when it ends (undefined if it failed). */
export interface StreamResult<T> {
  stream: true;
  chunks: AsyncIterable<T>;
  usage: Promise<Usage | undefined>;
}
export interface CompleteResult<T> {
  stream: false;
  response: T;
  usage: Usage | undefined;
}
export type ChatResult = CompleteResult<ChatCompletion> | StreamResult<ChatCompletionChunk>;
export type CompletionResult = CompleteResult<TextCompletion> | StreamResult<TextCompletionChunk>;

export interface ProviderFeatures {
  embeddings: boolean;
  completions: boolean;
  /** `n` > 1 */
  multipleChoices: boolean;
  logprobs: boolean;
  audio: boolean;
  jsonSchema: boolean;
  jsonObject: boolean;
}

/** One interface for every provider: OpenAI shapes in, OpenAI shapes out. */
export interface ProviderAdapter {
  readonly features: ProviderFeatures;
  chat(ctx: CallContext, request: ChatCompletionRequest): Promise<ChatResult>;
  completion(ctx: CallContext, request: CompletionRequest): Promise<CompletionResult>;
  embeddings(ctx: CallContext, request: EmbeddingRequest): Promise<EmbeddingResponse>;
}
