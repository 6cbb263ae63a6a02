// The provider-neutral core: what the simulated model answers. Each dialect turns its request
// into a SimPrompt, asks for a plan, and renders the plan in its own wire format.
//
// Tool-call trigger (documented in docs/simulation.md): the request offers tools, the tool choice
// is not "none", and either the choice forces a tool (OpenAI `required` or a named function,
// Anthropic `any`/`tool`, Gemini mode `ANY`) or the last user message contains "use the tool"
// (case-insensitive) and the last turn is not a tool result. The tool is the forced one, else the
// first offered tool whose name appears in that message, else the first offered tool.
import { DEFAULT_TEXT_LENGTH, generateText, type TextLength } from './generate-text.js';
import { generateToolArguments, createRng, hashString, randomId } from '@bascule/engine-sim';
import type { TokenCounter } from './token-counter.js';

export interface SimTool {
  name: string;
  schema: unknown;
}

export type SimToolChoice =
  { mode: 'auto' } | { mode: 'none' } | { mode: 'required'; names?: string[] };

export interface SimPrompt {
  model: string;
  /** Every piece of input text (system, messages, tool definitions), for the input token count. */
  inputText: string;
  /** Extra input tokens for message framing (OpenAI counts ~3 per message). */
  framingTokens: number;
  lastUserText: string;
  lastIsToolResult: boolean;
  tools: SimTool[];
  toolChoice: SimToolChoice;
  maxTokens?: number;
  stop: string[];
}

export interface SimToolCall {
  id: string;
  name: string;
  /** Compact JSON text of the arguments. */
  arguments: string;
}

export type SimPlan =
  | {
      kind: 'text';
      pieces: string[];
      finish: 'stop' | 'length' | 'stop_sequence';
      stopSequence?: string;
      inputTokens: number;
      outputTokens: number;
    }
  | { kind: 'tool'; calls: SimToolCall[]; inputTokens: number; outputTokens: number };

export interface PlanContext {
  seed: number;
  tokens: TokenCounter;
  textLength?: TextLength;
  /** Distinguishes several answers (OpenAI `n`) to one request. */
  choiceIndex?: number;
  /** Id prefix for tool calls: `call_` (OpenAI), `toolu_` (Anthropic). */
  toolIdPrefix?: string;
}

const TOOL_TRIGGER = /use the tool/i;

export function chooseTool(prompt: SimPrompt): SimTool | undefined {
  const { tools, toolChoice } = prompt;
  if (tools.length === 0 || toolChoice.mode === 'none') return undefined;
  if (toolChoice.mode === 'required') {
    const allowed = toolChoice.names?.length
      ? tools.filter((t) => toolChoice.names?.includes(t.name))
      : tools;
    const named = allowed.find((t) => prompt.lastUserText.includes(t.name));
    return named ?? allowed[0] ?? tools[0];
  }
  if (prompt.lastIsToolResult || !TOOL_TRIGGER.test(prompt.lastUserText)) return undefined;
  return tools.find((t) => prompt.lastUserText.includes(t.name)) ?? tools[0];
}

function cutAtStop(pieces: string[], stop: string[]): { pieces: string[]; stopSequence?: string } {
  const text = pieces.join('');
  let best: { at: number; seq: string } | undefined;
  for (const seq of stop) {
    if (!seq) continue;
    const at = text.indexOf(seq);
    if (at >= 0 && (best === undefined || at < best.at)) best = { at, seq };
  }
  if (!best) return { pieces };
  const kept: string[] = [];
  let offset = 0;
  for (const piece of pieces) {
    if (offset + piece.length <= best.at) kept.push(piece);
    else {
      if (offset < best.at) kept.push(piece.slice(0, best.at - offset));
      break;
    }
    offset += piece.length;
  }
  return { pieces: kept, stopSequence: best.seq };
}

export function planResponse(prompt: SimPrompt, ctx: PlanContext): SimPlan {
  const inputTokens = ctx.tokens.count(prompt.inputText) + prompt.framingTokens;
  const rng = createRng(hashString(ctx.seed, prompt.model, prompt.inputText, ctx.choiceIndex ?? 0));
  const tool = chooseTool(prompt);
  if (tool) {
    const args = JSON.stringify(generateToolArguments(tool.schema, rng));
    const call = {
      id: randomId(rng, ctx.toolIdPrefix ?? 'call_'),
      name: tool.name,
      arguments: args,
    };
    return {
      kind: 'tool',
      calls: [call],
      inputTokens,
      outputTokens: ctx.tokens.count(tool.name + args) + 3,
    };
  }
  const generated = generateText(rng, ctx.textLength ?? DEFAULT_TEXT_LENGTH, prompt.maxTokens);
  const cut = cutAtStop(generated.pieces, prompt.stop);
  if (cut.stopSequence !== undefined) {
    return {
      kind: 'text',
      pieces: cut.pieces,
      finish: 'stop_sequence',
      stopSequence: cut.stopSequence,
      inputTokens,
      outputTokens: cut.pieces.length,
    };
  }
  const finish = generated.truncated ? 'length' : 'stop';
  return {
    kind: 'text',
    pieces: generated.pieces,
    finish,
    inputTokens,
    outputTokens: generated.pieces.length,
  };
}

/** Splits a tool call's JSON arguments into streaming fragments of a few characters. */
export function splitArguments(json: string, size = 12): string[] {
  const parts: string[] = [];
  for (let i = 0; i < json.length; i += size) parts.push(json.slice(i, i + size));
  return parts;
}
