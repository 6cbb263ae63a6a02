// POST /v1/chat/completions: JSON answers and SSE chunks in OpenAI's exact shapes.
import type { SimContext } from '../core/dialect.js';
import { sendJson, startSse, writeSse } from '../core/http-io.js';
import { parseBody } from '../core/parse-body.js';
import { planResponse, splitArguments, type SimPlan } from '../core/plan-response.js';
import { randomId, judgeOrLabelledAnswer } from '@bascule/engine-sim';
import { writeOpenaiStreamError } from './openai-errors.js';
import { checkOpenaiContext, openaiChatPrompt, requireOpenaiModel } from './openai-prompt.js';
import { chatRequestSchema, formatOpenaiIssue } from './openai-schemas.js';
import { openaiUsage, serverError } from './openai-usage.js';

type FinishReason = 'stop' | 'length' | 'tool_calls';

function finishReason(plan: SimPlan, namedTool: boolean): FinishReason {
  if (plan.kind === 'tool') return namedTool ? 'stop' : 'tool_calls';
  return plan.finish === 'length' ? 'length' : 'stop';
}

function toolCallsOf(
  plan: SimPlan,
): { id: string; type: 'function'; function: { name: string; arguments: string } }[] {
  if (plan.kind !== 'tool') return [];
  return plan.calls.map((c) => ({
    id: c.id,
    type: 'function',
    function: { name: c.name, arguments: c.arguments },
  }));
}

/** The deltas of one choice, one per streaming step (step 0 carries the role). */
function deltasOf(plan: SimPlan): Record<string, unknown>[] {
  if (plan.kind === 'text') {
    return [
      { role: 'assistant', content: '', refusal: null },
      ...plan.pieces.map((p) => ({ content: p })),
    ];
  }
  const deltas: Record<string, unknown>[] = [];
  plan.calls.forEach((call, index) => {
    const head = {
      index,
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: '' },
    };
    deltas.push(
      index === 0
        ? { role: 'assistant', content: null, tool_calls: [head], refusal: null }
        : { tool_calls: [head] },
    );
    for (const part of splitArguments(call.arguments))
      deltas.push({ tool_calls: [{ index, function: { arguments: part } }] });
  });
  return deltas;
}

export async function handleOpenaiChat(ctx: SimContext): Promise<void> {
  const body = parseBody(chatRequestSchema, ctx.body, formatOpenaiIssue);
  requireOpenaiModel(body.model, ctx.models);
  const prompt = openaiChatPrompt(body);
  const n = body.n ?? 1;
  const plans = Array.from({ length: n }, (_, i) =>
    planResponse(prompt, {
      seed: ctx.seed,
      tokens: ctx.tokens,
      textLength: ctx.textLength,
      choiceIndex: i,
      toolIdPrefix: 'call_',
    }),
  );
  const fixed =
    ctx.judge && plans.every((p) => p.kind === 'text')
      ? judgeOrLabelledAnswer(ctx.judge.labels, prompt.lastUserText, body.model, ctx.judge.tier)
      : undefined;
  if (fixed)
    for (const [i, p] of plans.entries()) {
      const pieces = fixed.slice(0, prompt.maxTokens ?? fixed.length);
      plans[i] = {
        kind: 'text',
        pieces,
        finish: pieces.length < fixed.length ? 'length' : 'stop',
        inputTokens: p.inputTokens,
        outputTokens: pieces.length,
      };
    }
  const inputTokens = plans[0]?.inputTokens ?? 0;
  checkOpenaiContext(inputTokens, ctx.contextWindow(body.model), 'messages');
  const outputTokens = plans.reduce((sum, p) => sum + p.outputTokens, 0);
  const namedTool = typeof body.tool_choice === 'object';
  const id = randomId(ctx.rng, 'chatcmpl-', 29);
  const created = Math.floor(Date.now() / 1000);
  const fingerprint = 'fp_sim0001';
  const usage = openaiUsage(inputTokens, outputTokens);

  if (!body.stream) {
    if (!(await ctx.waitWhole(Math.max(...plans.map((p) => p.outputTokens))))) return;
    ctx.recordUsage(inputTokens, outputTokens);
    sendJson(
      ctx.res,
      200,
      {
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: plans.map((plan, index) => ({
          index,
          message: {
            role: 'assistant',
            content: plan.kind === 'text' ? plan.pieces.join('') : null,
            refusal: null,
            annotations: [],
            ...(plan.kind === 'tool' ? { tool_calls: toolCallsOf(plan) } : {}),
          },
          logprobs: null,
          finish_reason: finishReason(plan, namedTool),
        })),
        usage,
        service_tier: 'default',
        system_fingerprint: fingerprint,
      },
      ctx.headers,
    );
    return;
  }

  const includeUsage = body.stream_options?.include_usage === true;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
    JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model: body.model,
      service_tier: 'default',
      system_fingerprint: fingerprint,
      choices,
      ...(includeUsage ? { usage: null } : {}),
      ...extra,
    });
  startSse(ctx.res, ctx.headers);
  const deltas = plans.map(deltasOf);
  const steps = Math.max(...deltas.map((d) => d.length));
  for (let step = 0; step < steps; step++) {
    if (step === 1 && !(await ctx.waitFirstToken())) return;
    if (step > 1 && !(await ctx.waitNextToken())) return;
    for (let index = 0; index < n; index++) {
      const delta = deltas[index]?.[step];
      if (delta) writeSse(ctx.res, chunk([{ index, delta, logprobs: null, finish_reason: null }]));
    }
    if (step === 1 && ctx.failAfterFirstChunk) {
      writeOpenaiStreamError(ctx.res, serverError());
      ctx.res.end();
      return;
    }
  }
  for (let index = 0; index < n; index++) {
    const plan = plans[index];
    if (plan)
      writeSse(
        ctx.res,
        chunk([{ index, delta: {}, logprobs: null, finish_reason: finishReason(plan, namedTool) }]),
      );
  }
  if (includeUsage) writeSse(ctx.res, chunk([], { usage }));
  writeSse(ctx.res, '[DONE]');
  ctx.recordUsage(inputTokens, outputTokens);
  ctx.res.end();
}
