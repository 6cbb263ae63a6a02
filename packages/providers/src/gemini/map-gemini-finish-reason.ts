import type { FinishReason } from '../openai-types/responses.js';

/**
 * https://ai.google.dev/api/generate-content#FinishReason. Safety-style stops become
 * `content_filter`; a normal stop with function calls becomes `tool_calls`.
 */
export function mapGeminiFinishReason(
  reason: string | undefined,
  hasFunctionCalls: boolean,
): FinishReason {
  switch (reason) {
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'content_filter';
    default:
      return hasFunctionCalls ? 'tool_calls' : 'stop';
  }
}
