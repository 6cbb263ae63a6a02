import type { ChatMessage, ContentPart } from '../openai-types/chat-completion-request.js';
import { ProviderError } from '../core/provider-error.js';
import { parseDataUrl } from '../shared/parse-data-url.js';
import { parseToolArguments } from '../shared/parse-tool-arguments.js';
import { textOf } from '../shared/text-of.js';
import {
  ANTHROPIC_IMAGE_TYPES,
  type AnthropicContentBlock,
  type AnthropicMessage,
  type AnthropicTextBlock,
} from './anthropic-types.js';

export interface AnthropicPrompt {
  system?: AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

/**
 * OpenAI messages to Anthropic's: system/developer messages move to `system`; tool results
 * become `tool_result` blocks in a user turn; consecutive turns of one role merge so user and
 * assistant alternate (https://docs.anthropic.com/en/api/messages), tool results first.
 */
export function convertToAnthropicMessages(messages: ChatMessage[]): AnthropicPrompt {
  const system: AnthropicTextBlock[] = [];
  const out: AnthropicMessage[] = [];
  const push = (role: 'user' | 'assistant', blocks: AnthropicContentBlock[]): void => {
    if (blocks.length === 0) return;
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  messages.forEach((m, i) => {
    switch (m.role) {
      case 'system':
      case 'developer': {
        const text = textOf(m.content);
        if (text) system.push({ type: 'text', text });
        break;
      }
      case 'user':
        push('user', userBlocks(m.content, i));
        break;
      case 'assistant': {
        const blocks: AnthropicContentBlock[] = [];
        const text = textOf(m.content);
        if (text) blocks.push({ type: 'text', text });
        m.tool_calls?.forEach((tc, j) => {
          const param = `messages[${i}].tool_calls[${j}].function.arguments`;
          blocks.push({
            type: 'tool_use',
            id: tc.id,
            name: tc.function.name,
            input: parseToolArguments(tc.function.arguments, param),
          });
        });
        push('assistant', blocks);
        break;
      }
      case 'tool':
        push('user', [
          { type: 'tool_result', tool_use_id: m.tool_call_id, content: textOf(m.content) },
        ]);
        break;
    }
  });
  for (const msg of out) {
    if (msg.role === 'user') msg.content = toolResultsFirst(msg.content);
  }
  return { ...(system.length > 0 ? { system } : {}), messages: out };
}

function userBlocks(content: string | ContentPart[], i: number): AnthropicContentBlock[] {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  return content.map((part, j): AnthropicContentBlock => {
    const param = `messages[${i}].content[${j}]`;
    switch (part.type) {
      case 'text':
        return { type: 'text', text: part.text };
      case 'image_url': {
        const data = parseDataUrl(part.image_url.url);
        if (data) {
          const mediaType = ANTHROPIC_IMAGE_TYPES.find((t) => t === data.mediaType);
          if (!mediaType) {
            throw ProviderError.badRequest(
              `${param}.image_url.url: Anthropic accepts ${ANTHROPIC_IMAGE_TYPES.join(', ')} images, not ${data.mediaType}`,
              param,
            );
          }
          return {
            type: 'image',
            source: { type: 'base64', media_type: mediaType, data: data.data },
          };
        }
        if (!/^https?:\/\//.test(part.image_url.url)) {
          throw ProviderError.badRequest(
            `${param}.image_url.url must be an http(s) or data URL`,
            param,
          );
        }
        return { type: 'image', source: { type: 'url', url: part.image_url.url } };
      }
      default:
        throw ProviderError.badRequest(
          `${param}: content parts of type '${part.type}' are not supported by Anthropic`,
          param,
        );
    }
  });
}

function toolResultsFirst(blocks: AnthropicContentBlock[]): AnthropicContentBlock[] {
  const results = blocks.filter((b) => b.type === 'tool_result');
  if (results.length === 0) return blocks;
  return [...results, ...blocks.filter((b) => b.type !== 'tool_result')];
}
