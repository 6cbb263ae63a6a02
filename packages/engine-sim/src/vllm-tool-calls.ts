import { generateToolArguments } from './generate-tool-arguments.js';
import type { EngineRuntime } from './engine-runtime.js';
import { seededRandom } from './seeded-random.js';
import type { ChatRequest } from './vllm-schemas.js';

export interface PlannedToolCall {
  id: string;
  name: string;
  arguments: string;
  /** The arguments cut into token-sized pieces, streamed one per token. */
  pieces: string[];
}

export type ToolPlan =
  { ok: true; call?: PlannedToolCall } | { ok: false; message: string; param: string };

/**
 * What a vLLM server does with `tools`: `tool_choice` defaults to "auto" when tools are given;
 * "auto" needs --enable-auto-tool-choice (vLLM's own 400 otherwise); "required" and a named
 * function always call. The simulated model calls a tool when the last message is the user's
 * (so a tool result gets a text answer), with arguments that satisfy the tool's JSON Schema.
 */
export function planToolCall(runtime: EngineRuntime, body: ChatRequest, seed: number): ToolPlan {
  const tools = body.tools ?? [];
  const choice = body.tool_choice ?? (tools.length > 0 ? 'auto' : 'none');
  if (choice === 'none' || tools.length === 0) return { ok: true };
  if (choice === 'auto' && !runtime.config.autoToolChoice) {
    return {
      ok: false,
      message:
        '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
      param: 'tool_choice',
    };
  }
  const random = seededRandom(seed ^ 0x7f4a7c15);
  let tool = tools[Math.floor(random() * tools.length)]!;
  if (typeof choice === 'object') {
    const named = tools.find((t) => t.function.name === choice.function.name);
    if (!named)
      return {
        ok: false,
        message: `Tool '${choice.function.name}' has not been passed in \`tools\`.`,
        param: 'tool_choice',
      };
    tool = named;
  }
  const lastRole = body.messages.at(-1)?.role;
  if (choice === 'auto' && lastRole !== 'user') return { ok: true };
  const args = JSON.stringify(
    generateToolArguments(tool.function.parameters ?? { type: 'object', properties: {} }, random),
  );
  const pieces: string[] = [];
  for (let i = 0; i < args.length; i += 4) pieces.push(args.slice(i, i + 4));
  const id = `chatcmpl-tool-${Math.floor(random() * 2 ** 52)
    .toString(16)
    .padStart(13, '0')}${seed.toString(16)}`;
  return { ok: true, call: { id, name: tool.function.name, arguments: args, pieces } };
}
