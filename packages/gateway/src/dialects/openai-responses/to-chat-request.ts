import type {
  ChatCompletionRequest,
  ChatMessage,
  ContentPart,
  FunctionTool,
} from '@bascule/providers';
import type { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.js';
import { unsupportedField } from '../core/parse-dialect-body.js';
import {
  functionToolSchema,
  ITEM_SCHEMAS,
  ITEM_TYPES,
  type InputItem,
  type ResponsesRequest,
} from './responses-request-schema.js';

/**
 * The conversation of a Responses request as chat messages, without `instructions` (which
 * are not carried over by previous_response_id): what a stored response keeps.
 */
export function conversationOf(r: ResponsesRequest): ChatMessage[] {
  if (typeof r.input === 'string') return [{ role: 'user', content: r.input }];
  const out: ChatMessage[] = [];
  r.input.forEach((raw, i) => {
    const item = parseItem(raw, i);
    if (item.type === 'function_call') {
      const call = {
        id: item.call_id,
        type: 'function' as const,
        function: { name: item.name, arguments: item.arguments },
      };
      // Consecutive calls are one assistant turn (parallel calls), as chat expects.
      const last = out.at(-1);
      if (last?.role === 'assistant') last.tool_calls = [...(last.tool_calls ?? []), call];
      else out.push({ role: 'assistant', content: null, tool_calls: [call] });
    } else if (item.type === 'function_call_output') {
      const text =
        typeof item.output === 'string' ? item.output : item.output.map((p) => p.text).join('\n');
      out.push({ role: 'tool', tool_call_id: item.call_id, content: text });
    } else out.push(messageOf(item, i));
  });
  return out;
}

/** A Responses request (after its previous conversation) as the internal chat request. */
export function toChatRequest(
  r: ResponsesRequest,
  previous: ChatMessage[],
  conversation: ChatMessage[],
): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  if (r.instructions) messages.push({ role: 'system', content: r.instructions });
  messages.push(...previous, ...conversation);
  if (messages.length === 0) throw GatewayError.badRequest('input: must not be empty', 'input');
  const chat: ChatCompletionRequest = { model: r.model, messages };
  if (r.tools?.length) chat.tools = r.tools.map(toolOf);
  if (r.tool_choice !== undefined)
    chat.tool_choice =
      typeof r.tool_choice === 'string'
        ? r.tool_choice
        : { type: 'function', function: { name: r.tool_choice.name } };
  if (r.parallel_tool_calls != null) chat.parallel_tool_calls = r.parallel_tool_calls;
  if (r.max_output_tokens != null) chat.max_tokens = r.max_output_tokens;
  if (r.temperature != null) chat.temperature = r.temperature;
  if (r.top_p != null) chat.top_p = r.top_p;
  if (r.user !== undefined) chat.user = r.user;
  const f = r.text?.format;
  if (f && f.type !== 'text')
    chat.response_format =
      f.type === 'json_object'
        ? { type: 'json_object' }
        : {
            type: 'json_schema',
            json_schema: {
              name: f.name,
              schema: f.schema,
              ...(f.description !== undefined ? { description: f.description } : {}),
              ...(f.strict != null ? { strict: f.strict } : {}),
            },
          };
  if (r.stream) {
    chat.stream = true;
    // response.completed carries usage: the gateway always asks for it.
    chat.stream_options = { include_usage: true };
  }
  return chat;
}

function parseItem(raw: unknown, i: number): InputItem {
  const type = (raw as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && !(ITEM_TYPES as readonly string[]).includes(type))
    throw unsupportedField(
      `input.${i}.type`,
      `input items of type "${type}" are not supported by the gateway (it accepts ${ITEM_TYPES.join(', ')})`,
    );
  const schema: z.ZodType<InputItem> =
    ITEM_SCHEMAS[typeof type === 'string' ? (type as keyof typeof ITEM_SCHEMAS) : 'message'];
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = ['input', i, ...issue.path];
  if (issue.code === 'unrecognized_keys')
    throw unsupportedField([...path, issue.keys[0]].join('.'), 'not supported by the gateway');
  const param = path.map(String).join('.');
  throw GatewayError.badRequest(`${param}: ${issue.message}`, param, 'invalid_value');
}

function messageOf(item: Extract<InputItem, { role: string }>, i: number): ChatMessage {
  const { role, content } = item;
  if (typeof content === 'string') return { role, content };
  if (role === 'assistant') {
    let text = '';
    content.forEach((p, j) => {
      if (p.type === 'output_text' || p.type === 'input_text') text += p.text;
      else if (p.type === 'refusal') text += p.refusal;
      else
        throw unsupportedField(`input.${i}.content.${j}.type`, 'an assistant message holds text');
    });
    return { role, content: text };
  }
  const parts: ContentPart[] = content.map((p, j) => {
    if (p.type === 'input_text' || p.type === 'output_text') return { type: 'text', text: p.text };
    if (p.type === 'input_image' && role === 'user')
      return {
        type: 'image_url',
        image_url: { url: p.image_url, ...(p.detail ? { detail: p.detail } : {}) },
      };
    throw unsupportedField(
      `input.${i}.content.${j}.type`,
      `a ${p.type} part is not accepted in a ${role} message`,
    );
  });
  if (role === 'user') return { role, content: parts };
  return { role, content: parts.map((p) => (p.type === 'text' ? p.text : '')).join('\n') };
}

function toolOf(raw: unknown, i: number): FunctionTool {
  const type = (raw as { type?: unknown } | null)?.type;
  if (type !== 'function')
    throw unsupportedField(
      `tools.${i}.type`,
      `only function tools are supported by the gateway (got ${JSON.stringify(type)}; hosted tools are not carried to targets)`,
    );
  const r = functionToolSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const param = [
      'tools',
      i,
      ...(issue.code === 'unrecognized_keys' ? [issue.keys[0]] : issue.path),
    ]
      .map(String)
      .join('.');
    throw unsupportedField(param, issue.message);
  }
  const t = r.data;
  return {
    type: 'function',
    function: {
      name: t.name,
      ...(t.description != null ? { description: t.description } : {}),
      ...(t.parameters != null ? { parameters: t.parameters } : {}),
      ...(t.strict != null ? { strict: t.strict } : {}),
    },
  };
}
