import type { z } from 'zod';
import { ProviderError } from '../core/provider-error.js';
import { chatCompletionRequestSchema } from '../openai-types/chat-completion-request.js';
import { completionRequestSchema } from '../openai-types/completion-request.js';
import { embeddingRequestSchema } from '../openai-types/embedding-request.js';

function parseWith<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.map(String).join('.') || 'body';
  throw ProviderError.badRequest(`${path}: ${issue?.message ?? 'invalid'}`, path);
}

/** Validates a Chat Completions body; a 400 naming the first bad field otherwise. */
export const parseChatCompletionRequest = (body: unknown) =>
  parseWith(chatCompletionRequestSchema, body);
/** Validates a Completions body; a 400 naming the first bad field otherwise. */
export const parseCompletionRequest = (body: unknown) => parseWith(completionRequestSchema, body);
/** Validates an Embeddings body; a 400 naming the first bad field otherwise. */
export const parseEmbeddingRequest = (body: unknown) => parseWith(embeddingRequestSchema, body);
