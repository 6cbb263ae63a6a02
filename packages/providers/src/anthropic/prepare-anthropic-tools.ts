import type { ChatCompletionRequest } from '../openai-types/chat-completion-request.js';
import type { AnthropicTool, AnthropicToolChoice } from './anthropic-types.js';

/** OpenAI `tools` / `tool_choice` / `parallel_tool_calls` to Anthropic's. https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use */
export function prepareAnthropicTools(req: ChatCompletionRequest): {
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
} {
  if (!req.tools || req.tools.length === 0) return {};
  const tools = req.tools.map((t): AnthropicTool => ({
    name: t.function.name,
    ...(t.function.description ? { description: t.function.description } : {}),
    input_schema: { properties: {}, ...t.function.parameters, type: 'object' },
  }));
  const disable = req.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  const choice = req.tool_choice;
  let tool_choice: AnthropicToolChoice | undefined;
  if (choice === undefined)
    tool_choice = req.parallel_tool_calls === false ? { type: 'auto', ...disable } : undefined;
  else if (choice === 'auto') tool_choice = { type: 'auto', ...disable };
  else if (choice === 'required') tool_choice = { type: 'any', ...disable };
  else if (choice === 'none') tool_choice = { type: 'none' };
  else tool_choice = { type: 'tool', name: choice.function.name, ...disable };
  return { tools, ...(tool_choice ? { tool_choice } : {}) };
}
