import type { ChatCompletionRequest } from '../openai-types/chat-completion-request.js';

/**
 * A fast, dependency-free prompt size estimate: ~4 characters per token (OpenAI's rule of
 * thumb for English) plus 4 tokens of framing per message, images counted as 85 tokens
 * (OpenAI's low-detail cost). Used for early context-window checks and tpm reservations,
 * never for billing (that uses the provider's usage).
 */
export function estimatePromptTokens(
  req: Pick<ChatCompletionRequest, 'messages' | 'tools'>,
): number {
  let chars = 0;
  let extra = 0;
  for (const m of req.messages) {
    extra += 4;
    const content = (m as { content?: unknown }).content;
    if (typeof content === 'string') chars += content.length;
    else if (Array.isArray(content)) {
      for (const p of content as { type: string; text?: string; refusal?: string }[]) {
        if (p.type === 'text') chars += p.text?.length ?? 0;
        else if (p.type === 'refusal') chars += p.refusal?.length ?? 0;
        else extra += 85;
      }
    }
    if (m.role === 'assistant') {
      for (const tc of m.tool_calls ?? [])
        chars += tc.function.name.length + tc.function.arguments.length;
    }
  }
  if (req.tools) chars += JSON.stringify(req.tools).length;
  return Math.ceil(chars / 4) + extra;
}

export function estimateTextTokens(text: string | string[] | number[] | number[][]): number {
  if (typeof text === 'string') return Math.ceil(text.length / 4);
  let n = 0;
  for (const x of text)
    n += typeof x === 'number' ? 1 : typeof x === 'string' ? Math.ceil(x.length / 4) : x.length;
  return n;
}
