import { sendJson } from './http-io.js';
import {
  cancelOnDisconnect,
  nowSeconds,
  openSse,
  requestId,
  stopList,
  type RequestContext,
} from './request-context.js';
import { runChoices } from './run-choices.js';
import { hashSeed } from './seeded-random.js';
import { usageOf } from './vllm-chat.js';
import { sendVllmError } from './vllm-errors.js';
import { completionRequestSchema, type CompletionRequest } from './vllm-schemas.js';
import { checkGeneration, parseVllmRequest } from './vllm-validate.js';
import type { GenerationResult } from './generation.js';

/** The prompts of a completion request: a seed key, the token ids and their count. */
function prompts(
  ctx: RequestContext,
  prompt: CompletionRequest['prompt'],
): Array<{ key: string; ids: ArrayLike<number>; tokens: number }> {
  const encode = ctx.runtime.encodeTokens;
  const ofText = (p: string) => {
    const ids = encode(p);
    return { key: p, ids, tokens: ids.length };
  };
  const ofIds = (p: number[]) => ({ key: p.join(','), ids: p, tokens: p.length });
  if (typeof prompt === 'string') return [ofText(prompt)];
  if (prompt.every((p) => typeof p === 'number')) return [ofIds(prompt)];
  return (prompt as Array<string | number[]>).map((p) =>
    typeof p === 'string' ? ofText(p) : ofIds(p),
  );
}

/** POST /v1/completions in vLLM's format. Several prompts give n choices each, in order. */
export function handleVllmCompletions(ctx: RequestContext): void {
  const { runtime, res } = ctx;
  const body = parseVllmRequest(
    ctx,
    completionRequestSchema,
    (b) => b.logprobs !== undefined && b.logprobs !== null,
  );
  if (!body) return;
  if (body.echo) {
    sendVllmError(res, 400, 'echo is not supported by engine-sim.', 'echo');
    return;
  }
  const list = prompts(ctx, body.prompt);
  const n = body.n ?? 1;
  const stop = stopList(body.stop);
  let model = '';
  const plans: Array<{
    promptTokens: number;
    promptBlockHashes: number[];
    lora?: string;
    maxTokens: number;
    seeds: number[];
  }> = [];
  for (const p of list) {
    const checked = checkGeneration(ctx, body.model, p.tokens, body.max_tokens ?? 16);
    if (!checked.ok) return;
    model = checked.model;
    const base = body.seed ?? hashSeed(runtime.config.seed, p.key);
    plans.push({
      promptTokens: p.tokens,
      promptBlockHashes: runtime.promptBlockHashes(p.ids),
      ...(checked.lora !== undefined ? { lora: checked.lora } : {}),
      maxTokens: checked.maxTokens,
      seeds: Array.from({ length: n }, (_, i) => base + i),
    });
  }
  const id = requestId('cmpl');
  const created = nowSeconds();
  const totalPrompt = plans.reduce((s, p) => s + p.promptTokens, 0);
  const all: GenerationResult[][] = plans.map(() => []);
  let remaining = plans.length;
  let done = false;
  const sse = body.stream ? openSse(ctx, 'data: ') : undefined;
  const head = { id, object: 'text_completion', created, model };
  const includeUsage = body.stream_options?.include_usage === true;
  const finish = () => {
    done = true;
    const flat = all.flat();
    const usage = usageOf(totalPrompt, flat);
    if (sse) {
      if (includeUsage) sse.send(JSON.stringify({ ...head, choices: [], usage }));
      sse.send('[DONE]');
      sse.end();
      return;
    }
    sendJson(res, 200, {
      ...head,
      choices: flat.map((r, index) => ({
        index,
        text: r.text,
        logprobs: null,
        finish_reason: r.finishReason,
        stop_reason: r.stopReason,
        prompt_logprobs: null,
      })),
      usage: { ...usage, prompt_tokens_details: null },
      kv_transfer_params: null,
    });
  };
  const lastText: string[] = [];
  const cancels = plans.map((plan, pi) =>
    runChoices(
      runtime,
      { ...plan, stop },
      {
        onToken: (i, delta, _count, last) => {
          if (sse && !last)
            sse.send(
              JSON.stringify({
                ...head,
                choices: [
                  {
                    index: pi * n + i,
                    text: delta,
                    logprobs: null,
                    finish_reason: null,
                    stop_reason: null,
                  },
                ],
              }),
            );
          if (last) lastText[pi * n + i] = delta;
        },
        onChoiceDone: (i, r) => {
          const index = pi * n + i;
          sse?.send(
            JSON.stringify({
              ...head,
              choices: [
                {
                  index,
                  text: lastText[index] ?? '',
                  logprobs: null,
                  finish_reason: r.finishReason,
                  stop_reason: r.stopReason,
                },
              ],
            }),
          );
        },
        onAllDone: (results) => {
          all[pi] = results;
          if (--remaining === 0) finish();
        },
      },
    ),
  );
  cancelOnDisconnect(
    ctx,
    () => done,
    () => cancels.forEach((c) => c()),
  );
}
