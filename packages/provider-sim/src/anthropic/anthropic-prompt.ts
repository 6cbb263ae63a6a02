// Anthropic Messages request -> the provider-neutral SimPrompt.
import { textOf } from '../core/parse-body.js';
import type { SimPrompt, SimToolChoice } from '../core/plan-response.js';
import { ProviderSimError } from '../core/sim-error.js';
import type { CountTokensRequest, MessagesRequest } from './anthropic-schemas.js';

export function requireAnthropicModel(model: string, models: readonly string[]): void {
  if (!models.includes(model)) {
    throw new ProviderSimError({ status: 404, kind: 'not_found', message: `model: ${model}` });
  }
}

export function checkAnthropicContext(inputTokens: number, window: number): void {
  if (inputTokens > window) {
    throw new ProviderSimError({
      status: 400,
      kind: 'invalid_request',
      message: `prompt is too long: ${inputTokens} tokens > ${window} maximum`,
    });
  }
}

type Block = { type: string } & Record<string, unknown>;

function blockText(block: Block): string {
  if (typeof block.text === 'string') return block.text;
  if (block.type === 'tool_use') return JSON.stringify(block.input ?? {});
  if (block.type === 'tool_result') return textOf(block.content);
  return '';
}

function contentText(content: string | Block[]): string {
  return typeof content === 'string' ? content : content.map(blockText).filter(Boolean).join('\n');
}

function toolChoiceOf(choice: MessagesRequest['tool_choice']): SimToolChoice {
  if (!choice || choice.type === 'auto') return { mode: 'auto' };
  if (choice.type === 'none') return { mode: 'none' };
  if (choice.type === 'tool' && choice.name) return { mode: 'required', names: [choice.name] };
  return { mode: 'required' };
}

export function anthropicPrompt(body: MessagesRequest | CountTokensRequest): SimPrompt {
  const texts = [
    body.system === undefined ? '' : contentText(body.system),
    ...body.messages.map((m) => contentText(m.content)),
  ];
  if (body.tools?.length) texts.push(JSON.stringify(body.tools));
  const last = body.messages[body.messages.length - 1];
  const lastUser = [...body.messages].reverse().find((m) => m.role === 'user');
  const lastIsToolResult =
    last?.role === 'user' &&
    Array.isArray(last.content) &&
    last.content.some((b) => b.type === 'tool_result');
  return {
    model: body.model,
    inputText: texts.filter(Boolean).join('\n'),
    framingTokens: 3 * body.messages.length,
    lastUserText: lastUser ? contentText(lastUser.content) : '',
    lastIsToolResult,
    tools: (body.tools ?? [])
      .filter((t) => t.input_schema)
      .map((t) => ({ name: t.name, schema: t.input_schema })),
    toolChoice: toolChoiceOf(body.tool_choice),
    ...(body.max_tokens !== undefined ? { maxTokens: body.max_tokens } : {}),
    stop: body.stop_sequences ?? [],
  };
}
