import type { ChatCompletionRequest, ChatMessage, ContentPart, ToolCall } from '@bascule/providers';
import { unsupportedField } from '../core/parse-dialect-body.js';
import type {
  AnthropicInputBlock,
  CountTokensRequest,
  MessagesRequest,
} from './anthropic-request-schema.js';

type ChatToolChoice = ChatCompletionRequest['tool_choice'];

/** An Anthropic Messages request as the internal (Chat Completions) request. */
export function toChatRequest(r: MessagesRequest): ChatCompletionRequest {
  const chat: ChatCompletionRequest = {
    ...toChatPrompt(r),
    max_tokens: r.max_tokens,
  };
  if (r.stop_sequences?.length) chat.stop = r.stop_sequences;
  if (r.temperature !== undefined) chat.temperature = r.temperature;
  if (r.top_p !== undefined) chat.top_p = r.top_p;
  if (r.metadata?.user_id) chat.user = r.metadata.user_id;
  if (r.stream) {
    chat.stream = true;
    // message_delta carries usage: the gateway always asks for it.
    chat.stream_options = { include_usage: true };
  }
  return chat;
}

/** The prompt part (model, system, messages, tools): what count_tokens measures too. */
export function toChatPrompt(r: CountTokensRequest): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  if (r.system !== undefined) {
    const text = typeof r.system === 'string' ? r.system : r.system.map((b) => b.text).join('\n');
    if (text.length > 0) messages.push({ role: 'system', content: text });
  }
  r.messages.forEach((m, i) => {
    const blocks: AnthropicInputBlock[] =
      typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
    if (m.role === 'assistant') messages.push(assistantMessage(blocks, i));
    else messages.push(...userMessages(blocks, i));
  });
  const chat: ChatCompletionRequest = { model: r.model, messages };
  if (r.tools?.length)
    chat.tools = r.tools.map((t) => ({
      type: 'function',
      function: {
        name: t.name,
        ...(t.description !== undefined ? { description: t.description } : {}),
        parameters: t.input_schema,
      },
    }));
  if (r.tool_choice) {
    const c = r.tool_choice;
    const choice: ChatToolChoice =
      c.type === 'tool'
        ? { type: 'function', function: { name: c.name } }
        : c.type === 'any'
          ? 'required'
          : c.type;
    chat.tool_choice = choice;
    if (c.type !== 'none' && c.disable_parallel_tool_use === true) chat.parallel_tool_calls = false;
  }
  return chat;
}

function assistantMessage(blocks: AnthropicInputBlock[], i: number): ChatMessage {
  let text = '';
  const calls: ToolCall[] = [];
  blocks.forEach((b, j) => {
    if (b.type === 'text') text += b.text;
    else if (b.type === 'tool_use')
      calls.push({
        id: b.id,
        type: 'function',
        function: { name: b.name, arguments: JSON.stringify(b.input) },
      });
    else
      throw unsupportedField(
        `messages.${i}.content.${j}.type`,
        `a ${b.type} block is only accepted in a user message`,
      );
  });
  return {
    role: 'assistant',
    content: text.length > 0 ? text : null,
    ...(calls.length > 0 ? { tool_calls: calls } : {}),
  };
}

/** Tool results first (as tool messages, which must follow the assistant's calls), then the rest. */
function userMessages(blocks: AnthropicInputBlock[], i: number): ChatMessage[] {
  const out: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  blocks.forEach((b, j) => {
    if (b.type === 'tool_result') {
      const text =
        typeof b.content === 'string' ? b.content : (b.content ?? []).map((t) => t.text).join('\n');
      // Chat has no error flag on a tool result: it is said in the content.
      out.push({
        role: 'tool',
        tool_call_id: b.tool_use_id,
        content: b.is_error ? `Error: ${text}` : text,
      });
    } else if (b.type === 'text') parts.push({ type: 'text', text: b.text });
    else if (b.type === 'image')
      parts.push({
        type: 'image_url',
        image_url: {
          url:
            b.source.type === 'url'
              ? b.source.url
              : `data:${b.source.media_type};base64,${b.source.data}`,
        },
      });
    else
      throw unsupportedField(
        `messages.${i}.content.${j}.type`,
        'a tool_use block is only accepted in an assistant message',
      );
  });
  const only = parts.length === 1 ? parts[0] : undefined;
  if (parts.length > 0)
    out.push({ role: 'user', content: only?.type === 'text' ? only.text : parts });
  return out;
}
