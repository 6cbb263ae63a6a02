import type { ChatMessage, ContentPart } from '../openai-types/chat-completion-request.js';
import { ProviderError } from '../core/provider-error.js';
import { guessMediaType, parseDataUrl } from '../shared/parse-data-url.js';
import { parseToolArguments } from '../shared/parse-tool-arguments.js';
import { textOf } from '../shared/text-of.js';
import { readThoughtSignature } from './thought-signature.js';
import type { GeminiContent, GeminiPart, GeminiRequest } from './gemini-types.js';

/**
 * OpenAI messages to Gemini `contents` (https://ai.google.dev/gemini-api/docs/text-generation):
 * system/developer -> `systemInstruction`, assistant -> role `model` with `functionCall`
 * parts, tool results -> `functionResponse` parts in a user turn (the function's name looked
 * up from the assistant's call), consecutive turns of one role merged.
 */
export function convertToGeminiContents(
  messages: ChatMessage[],
): Pick<GeminiRequest, 'contents' | 'systemInstruction'> {
  const system: { text: string }[] = [];
  const contents: GeminiContent[] = [];
  const callNames = new Map<string, string>();
  const push = (role: 'user' | 'model', parts: GeminiPart[]): void => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  messages.forEach((m, i) => {
    switch (m.role) {
      case 'system':
      case 'developer': {
        const text = textOf(m.content);
        if (text) system.push({ text });
        break;
      }
      case 'user':
        push('user', userParts(m.content, i));
        break;
      case 'assistant': {
        const parts: GeminiPart[] = [];
        const text = textOf(m.content);
        if (text) parts.push({ text });
        m.tool_calls?.forEach((tc, j) => {
          callNames.set(tc.id, tc.function.name);
          const param = `messages[${i}].tool_calls[${j}].function.arguments`;
          const signature = readThoughtSignature(tc);
          parts.push({
            functionCall: {
              name: tc.function.name,
              args: parseToolArguments(tc.function.arguments, param),
            },
            ...(signature ? { thoughtSignature: signature } : {}),
          });
        });
        push('model', parts);
        break;
      }
      case 'tool': {
        const name = callNames.get(m.tool_call_id);
        if (!name) {
          throw ProviderError.badRequest(
            `messages[${i}].tool_call_id '${m.tool_call_id}' does not match an earlier assistant tool call`,
            `messages[${i}].tool_call_id`,
          );
        }
        push('user', [
          { functionResponse: { name, response: toResponseObject(textOf(m.content)) } },
        ]);
        break;
      }
    }
  });
  return { contents, ...(system.length > 0 ? { systemInstruction: { parts: system } } : {}) };
}

/** Gemini wants an object: a JSON object result stays as is, anything else is wrapped. */
function toResponseObject(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      return v as Record<string, unknown>;
    return { result: v };
  } catch {
    return { result: text };
  }
}

const audioTypes: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mp3' };

function userParts(content: string | ContentPart[], i: number): GeminiPart[] {
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  return content.map((part, j): GeminiPart => {
    const param = `messages[${i}].content[${j}]`;
    switch (part.type) {
      case 'text':
        return { text: part.text };
      case 'image_url': {
        const data = parseDataUrl(part.image_url.url);
        if (data) return { inlineData: { mimeType: data.mediaType, data: data.data } };
        const url = part.image_url.url;
        return { fileData: { mimeType: guessMediaType(url), fileUri: url } };
      }
      case 'input_audio':
        return {
          inlineData: {
            mimeType: audioTypes[part.input_audio.format] ?? `audio/${part.input_audio.format}`,
            data: part.input_audio.data,
          },
        };
      default:
        throw ProviderError.badRequest(
          `${param}: content parts of type '${part.type}' are not supported by Gemini`,
          param,
        );
    }
  });
}
