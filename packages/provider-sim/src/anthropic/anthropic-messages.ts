// POST /v1/messages: a Message object, or the full SSE event sequence (message_start,
// content_block_start, ping, content_block_delta (text_delta / input_json_delta),
// content_block_stop, message_delta, message_stop).
import type { SimContext } from '../core/dialect.js';
import { sendJson, startSse, writeSse } from '../core/http-io.js';
import { parseBody } from '../core/parse-body.js';
import { planResponse, splitArguments, type SimPlan } from '../core/plan-response.js';
import { randomId } from '@bascule/engine-sim';
import { ProviderSimError } from '../core/sim-error.js';
import { writeAnthropicStreamError } from './anthropic-errors.js';
import {
  anthropicPrompt,
  checkAnthropicContext,
  requireAnthropicModel,
} from './anthropic-prompt.js';
import { formatAnthropicIssue, messagesRequestSchema } from './anthropic-schemas.js';

type Block =
  | { type: 'text'; pieces: string[] }
  | { type: 'thinking'; pieces: string[]; signature: string }
  | { type: 'tool_use'; id: string; name: string; parts: string[]; input: unknown };

function stopReason(plan: SimPlan): string {
  if (plan.kind === 'tool') return 'tool_use';
  return plan.finish === 'length'
    ? 'max_tokens'
    : plan.finish === 'stop_sequence'
      ? 'stop_sequence'
      : 'end_turn';
}

/** In auto mode Claude usually says what it is about to do before the tool_use block. */
function blocksOf(plan: SimPlan, preamble: boolean): Block[] {
  if (plan.kind === 'text') return [{ type: 'text', pieces: plan.pieces }];
  const blocks: Block[] = [];
  const first = plan.calls[0];
  if (preamble && first)
    blocks.push({ type: 'text', pieces: ["I'll", ' use', ' the', ` ${first.name}`, ' tool', '.'] });
  for (const call of plan.calls) {
    blocks.push({
      type: 'tool_use',
      id: call.id,
      name: call.name,
      parts: splitArguments(call.arguments),
      input: JSON.parse(call.arguments) as unknown,
    });
  }
  return blocks;
}

/** Extended thinking (`thinking: {type: 'enabled'}`): a short thinking block, signed, first. */
const THOUGHT = ['Let', ' me', ' think', ' this', ' through', '.'];

function blockJson(block: Block): Record<string, unknown> {
  if (block.type === 'thinking')
    return { type: 'thinking', thinking: block.pieces.join(''), signature: block.signature };
  return block.type === 'text'
    ? { type: 'text', text: block.pieces.join('') }
    : { type: 'tool_use', id: block.id, name: block.name, input: block.input };
}

function startOf(block: Block): Record<string, unknown> {
  if (block.type === 'thinking') return { type: 'thinking', thinking: '', signature: '' };
  return block.type === 'text'
    ? { type: 'text', text: '' }
    : { type: 'tool_use', id: block.id, name: block.name, input: {} };
}

function deltasOf(block: Block): Record<string, unknown>[] {
  if (block.type === 'thinking')
    return [
      ...block.pieces.map((thinking) => ({ type: 'thinking_delta', thinking })),
      { type: 'signature_delta', signature: block.signature },
    ];
  return block.type === 'text'
    ? block.pieces.map((text) => ({ type: 'text_delta', text }))
    : ['', ...block.parts].map((partial_json) => ({ type: 'input_json_delta', partial_json }));
}

function usageOf(input: number, output: number): Record<string, unknown> {
  return {
    input_tokens: input,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: output,
    service_tier: 'standard',
  };
}

export async function handleAnthropicMessages(ctx: SimContext): Promise<void> {
  const body = parseBody(messagesRequestSchema, ctx.body, formatAnthropicIssue);
  requireAnthropicModel(body.model, ctx.models);
  const prompt = anthropicPrompt(body);
  const plan = planResponse(prompt, {
    seed: ctx.seed,
    tokens: ctx.tokens,
    textLength: ctx.textLength,
    toolIdPrefix: 'toolu_01',
  });
  checkAnthropicContext(plan.inputTokens, ctx.contextWindow(body.model));
  const thinking = body.thinking?.type === 'enabled' ? body.thinking : undefined;
  const thinks = thinking !== undefined;
  if (thinking && thinking.budget_tokens >= body.max_tokens)
    throw new ProviderSimError({
      status: 400,
      kind: 'invalid_request',
      message: '`max_tokens` must be greater than `thinking.budget_tokens`',
    });
  const answer = blocksOf(plan, prompt.toolChoice.mode === 'auto');
  const preambleTokens =
    answer.length > 1 && answer[0]?.type === 'text' ? answer[0].pieces.length : 0;
  const blocks: Block[] = thinks
    ? [{ type: 'thinking', pieces: THOUGHT, signature: randomId(ctx.rng, 'sig_', 32) }, ...answer]
    : answer;
  const outputTokens = plan.outputTokens + preambleTokens + (thinks ? THOUGHT.length : 0);
  const id = randomId(ctx.rng, 'msg_01', 22);
  const stopSequence = plan.kind === 'text' ? (plan.stopSequence ?? null) : null;

  if (!body.stream) {
    if (!(await ctx.waitWhole(outputTokens))) return;
    ctx.recordUsage(plan.inputTokens, outputTokens);
    sendJson(
      ctx.res,
      200,
      {
        id,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: blocks.map(blockJson),
        stop_reason: stopReason(plan),
        stop_sequence: stopSequence,
        usage: usageOf(plan.inputTokens, outputTokens),
      },
      ctx.headers,
    );
    return;
  }

  const send = (type: string, data: Record<string, unknown>): boolean =>
    writeSse(ctx.res, JSON.stringify({ type, ...data }), type);
  startSse(ctx.res, ctx.headers);
  send('message_start', {
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model: body.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usageOf(plan.inputTokens, 1),
    },
  });
  let emitted = 0;
  for (const [index, block] of blocks.entries()) {
    send('content_block_start', { index, content_block: startOf(block) });
    if (index === 0) send('ping', {});
    for (const delta of deltasOf(block)) {
      if (!(await (emitted === 0 ? ctx.waitFirstToken() : ctx.waitNextToken()))) return;
      send('content_block_delta', { index, delta });
      emitted++;
      if (emitted === 1 && ctx.failAfterFirstChunk) {
        writeAnthropicStreamError(ctx.res, {
          status: 529,
          kind: 'overloaded',
          message: 'Overloaded',
        });
        ctx.res.end();
        return;
      }
    }
    send('content_block_stop', { index });
  }
  send('message_delta', {
    delta: { stop_reason: stopReason(plan), stop_sequence: stopSequence },
    usage: { output_tokens: outputTokens },
  });
  send('message_stop', {});
  ctx.recordUsage(plan.inputTokens, outputTokens);
  ctx.res.end();
}
