// POST /v1/completions (legacy text completions), JSON and SSE.
import type { SimContext } from '../core/dialect.js';
import { sendJson, startSse, writeSse } from '../core/http-io.js';
import { parseBody } from '../core/parse-body.js';
import { planResponse } from '../core/plan-response.js';
import { randomId } from '@bascule/engine-sim';
import { writeOpenaiStreamError } from './openai-errors.js';
import { checkOpenaiContext, requireOpenaiModel, stopList } from './openai-prompt.js';
import {
  completionRequestSchema,
  formatOpenaiIssue,
  type CompletionRequest,
} from './openai-schemas.js';
import { openaiUsage, serverError } from './openai-usage.js';

function promptText(prompt: CompletionRequest['prompt']): string {
  if (typeof prompt === 'string') return prompt;
  return prompt
    .map((p) => (typeof p === 'string' ? p : Array.isArray(p) ? p.join(' ') : String(p)))
    .join('\n');
}

export async function handleOpenaiCompletions(ctx: SimContext): Promise<void> {
  const body = parseBody(completionRequestSchema, ctx.body, formatOpenaiIssue);
  requireOpenaiModel(body.model, ctx.models);
  const text = promptText(body.prompt);
  // Legacy completions default to 16 tokens when max_tokens is absent.
  const maxTokens = body.max_tokens ?? 16;
  const prompt = {
    model: body.model,
    inputText: text,
    framingTokens: 0,
    lastUserText: text,
    lastIsToolResult: false,
    tools: [],
    toolChoice: { mode: 'none' as const },
    maxTokens,
    stop: stopList(body.stop),
  };
  const n = body.n ?? 1;
  const plans = Array.from({ length: n }, (_, i) =>
    planResponse(prompt, {
      seed: ctx.seed,
      tokens: ctx.tokens,
      textLength: ctx.textLength,
      choiceIndex: i,
    }),
  );
  const pieces = plans.map((p) => (p.kind === 'text' ? p.pieces : []));
  const finish = plans.map((p) => (p.kind === 'text' && p.finish === 'length' ? 'length' : 'stop'));
  const inputTokens = plans[0]?.inputTokens ?? 0;
  checkOpenaiContext(inputTokens, ctx.contextWindow(body.model), 'prompt');
  const outputTokens = plans.reduce((sum, p) => sum + p.outputTokens, 0);
  const id = randomId(ctx.rng, 'cmpl-', 29);
  const created = Math.floor(Date.now() / 1000);
  const base = {
    id,
    object: 'text_completion',
    created,
    model: body.model,
    system_fingerprint: 'fp_sim0001',
  };

  if (!body.stream) {
    if (!(await ctx.waitWhole(Math.max(...plans.map((p) => p.outputTokens))))) return;
    ctx.recordUsage(inputTokens, outputTokens);
    const choices = pieces.map((p, index) => ({
      text: (body.echo ? text : '') + p.join(''),
      index,
      logprobs: null,
      finish_reason: finish[index],
    }));
    sendJson(
      ctx.res,
      200,
      { ...base, choices, usage: openaiUsage(inputTokens, outputTokens) },
      ctx.headers,
    );
    return;
  }
  const includeUsage = body.stream_options?.include_usage === true;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ ...base, choices, ...(includeUsage ? { usage: null } : {}), ...extra });
  startSse(ctx.res, ctx.headers);
  const steps = Math.max(...pieces.map((p) => p.length));
  for (let step = 0; step < steps; step++) {
    if (!(await (step === 0 ? ctx.waitFirstToken() : ctx.waitNextToken()))) return;
    pieces.forEach((p, index) => {
      const piece = p[step];
      if (piece !== undefined) {
        const last = step === p.length - 1;
        writeSse(
          ctx.res,
          chunk([
            { text: piece, index, logprobs: null, finish_reason: last ? finish[index] : null },
          ]),
        );
      }
    });
    if (step === 0 && ctx.failAfterFirstChunk) {
      writeOpenaiStreamError(ctx.res, serverError());
      ctx.res.end();
      return;
    }
  }
  if (includeUsage) writeSse(ctx.res, chunk([], { usage: openaiUsage(inputTokens, outputTokens) }));
  writeSse(ctx.res, '[DONE]');
  ctx.recordUsage(inputTokens, outputTokens);
  ctx.res.end();
}
