// models/{m}:generateContent and :streamGenerateContent (?alt=sse: SSE with \r\n\r\n delimiters,
// otherwise one JSON array of the chunks, as the real API does).
import type { SimContext } from '../core/dialect.js';
import { sendJson, startSse, writeSse } from '../core/http-io.js';
import { parseBody } from '../core/parse-body.js';
import { planResponse, type SimPlan } from '../core/plan-response.js';
import { randomId } from '@bascule/engine-sim';
import { writeGeminiStreamError } from './gemini-errors.js';
import { checkGeminiContext, geminiPrompt, requireGeminiModel } from './gemini-prompt.js';
import { formatGeminiIssue, generateContentRequestSchema } from './gemini-schemas.js';

function usageMetadata(input: number, output: number | undefined): Record<string, unknown> {
  return {
    promptTokenCount: input,
    ...(output !== undefined ? { candidatesTokenCount: output } : {}),
    totalTokenCount: input + (output ?? 0),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: input }],
  };
}

function finishReason(plan: SimPlan): string {
  return plan.kind === 'text' && plan.finish === 'length' ? 'MAX_TOKENS' : 'STOP';
}

function partsOf(plan: SimPlan): Record<string, unknown>[] {
  if (plan.kind === 'text') return [{ text: plan.pieces.join('') }];
  return plan.calls.map((c) => ({
    functionCall: { name: c.name, args: JSON.parse(c.arguments) as unknown },
  }));
}

export async function handleGeminiGenerate(
  ctx: SimContext,
  model: string,
  version: string,
  stream: boolean,
): Promise<void> {
  const method = stream ? 'streamGenerateContent' : 'generateContent';
  requireGeminiModel(model, ctx.models, method, version);
  const body = parseBody(generateContentRequestSchema, ctx.body, formatGeminiIssue);
  const prompt = geminiPrompt(model, body);
  const count = body.generationConfig?.candidateCount ?? 1;
  const plans = Array.from({ length: count }, (_, i) =>
    planResponse(prompt, {
      seed: ctx.seed,
      tokens: ctx.tokens,
      textLength: ctx.textLength,
      choiceIndex: i,
    }),
  );
  const input = plans[0]?.inputTokens ?? 0;
  checkGeminiContext(input, ctx.contextWindow(model));
  const output = plans.reduce((sum, p) => sum + p.outputTokens, 0);
  const base = { modelVersion: model, responseId: randomId(ctx.rng, '', 22) };

  if (!stream || ctx.url.searchParams.get('alt') !== 'sse') {
    if (!(await ctx.waitWhole(Math.max(...plans.map((p) => p.outputTokens))))) return;
    ctx.recordUsage(input, output);
    const response = {
      candidates: plans.map((plan, index) => ({
        content: { parts: partsOf(plan), role: 'model' },
        finishReason: finishReason(plan),
        index,
      })),
      usageMetadata: usageMetadata(input, output),
      ...base,
    };
    sendJson(ctx.res, 200, stream ? [response] : response, ctx.headers);
    return;
  }

  startSse(ctx.res, ctx.headers);
  // One chunk per token for text; a function call arrives whole, in one chunk.
  const steps = plans.map((plan) =>
    plan.kind === 'text'
      ? plan.pieces.length
        ? plan.pieces.map((text) => [{ text }])
        : [[{ text: '' }]]
      : [partsOf(plan)],
  );
  const total = Math.max(...steps.map((s) => s.length));
  for (let step = 0; step < total; step++) {
    if (!(await (step === 0 ? ctx.waitFirstToken() : ctx.waitNextToken()))) return;
    const last = step === total - 1;
    const candidates = plans.flatMap((plan, index) => {
      const parts = steps[index]?.[step];
      if (!parts) return [];
      const done = step === (steps[index]?.length ?? 0) - 1;
      return [
        {
          content: { parts, role: 'model' },
          ...(done ? { finishReason: finishReason(plan) } : {}),
          index,
        },
      ];
    });
    const chunk = {
      candidates,
      usageMetadata: usageMetadata(input, last ? output : undefined),
      ...base,
    };
    writeSse(ctx.res, JSON.stringify(chunk), undefined, '\r\n\r\n');
    if (step === 0 && ctx.failAfterFirstChunk) {
      writeGeminiStreamError(ctx.res, {
        status: 500,
        kind: 'server',
        message: 'An internal error has occurred. (simulated)',
      });
      ctx.res.end();
      return;
    }
  }
  ctx.recordUsage(input, output);
  ctx.res.end();
}
