// OpenAI chat request -> the provider-neutral SimPrompt.
import { textOf } from '../core/parse-body.js';
import type { SimPrompt, SimToolChoice } from '../core/plan-response.js';
import { ProviderSimError } from '../core/sim-error.js';
import type { ChatRequest } from './openai-schemas.js';

export function requireOpenaiModel(model: string, models: readonly string[]): void {
  if (!models.includes(model)) {
    throw new ProviderSimError({
      status: 404,
      kind: 'not_found',
      message: `The model \`${model}\` does not exist or you do not have access to it.`,
      code: 'model_not_found',
    });
  }
}

export function checkOpenaiContext(inputTokens: number, window: number, param: string): void {
  if (inputTokens > window) {
    throw new ProviderSimError({
      status: 400,
      kind: 'invalid_request',
      message: `This model's maximum context length is ${window} tokens. However, your messages resulted in ${inputTokens} tokens. Please reduce the length of the messages.`,
      param,
      code: 'context_length_exceeded',
    });
  }
}

export function stopList(stop: string | string[] | null | undefined): string[] {
  if (stop === null || stop === undefined) return [];
  return typeof stop === 'string' ? [stop] : stop;
}

function toolChoiceOf(choice: ChatRequest['tool_choice']): SimToolChoice {
  if (choice === undefined || choice === 'auto') return { mode: 'auto' };
  if (choice === 'none') return { mode: 'none' };
  if (choice === 'required') return { mode: 'required' };
  return { mode: 'required', names: [choice.function.name] };
}

export function openaiChatPrompt(body: ChatRequest): SimPrompt {
  const texts: string[] = [];
  for (const m of body.messages) {
    texts.push(textOf(m.content));
    for (const call of m.tool_calls ?? []) texts.push(call.function.name, call.function.arguments);
  }
  const tools = (body.tools ?? []).map((t) => ({
    name: t.function.name,
    schema: t.function.parameters ?? {},
  }));
  if (body.tools?.length) texts.push(JSON.stringify(body.tools));
  const last = body.messages[body.messages.length - 1];
  const lastUser = [...body.messages].reverse().find((m) => m.role === 'user');
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  return {
    model: body.model,
    inputText: texts.filter((t) => t.length > 0).join('\n'),
    framingTokens: 3 * body.messages.length + 3,
    lastUserText: lastUser ? textOf(lastUser.content) : '',
    lastIsToolResult: last?.role === 'tool' || last?.role === 'function',
    tools,
    toolChoice: toolChoiceOf(body.tool_choice),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    stop: stopList(body.stop),
  };
}
