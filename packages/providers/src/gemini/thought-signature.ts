import type { ToolCallExtraContent } from '../openai-types/responses.js';

/**
 * Gemini thinking models attach a `thoughtSignature` to function-call parts and need it back in
 * the next turn. It travels in the OpenAI tool call as `extra_content.google.thought_signature`,
 * as in Gemini's own OpenAI-compatible API
 * (https://ai.google.dev/gemini-api/docs/thought-signatures).
 */
export function thoughtSignatureExtra(signature: string | undefined): {
  extra_content?: ToolCallExtraContent;
} {
  return signature ? { extra_content: { google: { thought_signature: signature } } } : {};
}

/** The signature carried by a client's tool call, if any. */
export function readThoughtSignature(toolCall: { extra_content?: unknown }): string | undefined {
  const sig = (toolCall.extra_content as ToolCallExtraContent | undefined)?.google
    ?.thought_signature;
  return typeof sig === 'string' && sig !== '' ? sig : undefined;
}
