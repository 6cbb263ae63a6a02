import type { GenerationResult } from './generation.js';
import { sendJson } from './http-io.js';
import {
  stopList,
  cancelOnDisconnect,
  nowSeconds,
  openSse,
  requestId,
  type RequestContext,
} from './request-context.js';
import { judgeOrLabelledAnswer } from './judge/judge-answer.js';
import { runChoices } from './run-choices.js';
import { hashSeed } from './seeded-random.js';
import { chatTokenIds, messageText } from './token-counter.js';
import { sendVllmError } from './vllm-errors.js';
import { chatRequestSchema } from './vllm-schemas.js';
import { planToolCall, type PlannedToolCall } from './vllm-tool-calls.js';
import { checkGeneration, parseVllmRequest } from './vllm-validate.js';

export function usageOf(promptTokens: number, results: GenerationResult[]) {
  const completion = results.reduce((s, r) => s + r.tokens, 0);
  return {
    prompt_tokens: promptTokens,
    total_tokens: promptTokens + completion,
    completion_tokens: completion,
  };
}

/** POST /v1/chat/completions in vLLM's format (streaming chunks as vLLM's serving_chat writes them). */
export function handleVllmChat(ctx: RequestContext): void {
  const { runtime, res } = ctx;
  const body = parseVllmRequest(
    ctx,
    chatRequestSchema,
    (b) => !!b.logprobs || (b.top_logprobs ?? 0) > 0,
  );
  if (!body) return;
  const promptIds = chatTokenIds(runtime.encodeTokens, body.messages);
  const promptTokens = promptIds.length;
  const checked = checkGeneration(
    ctx,
    body.model,
    promptTokens,
    body.max_completion_tokens ?? body.max_tokens,
  );
  if (!checked.ok) return;
  const n = body.n ?? 1;
  const base =
    body.seed ??
    hashSeed(runtime.config.seed, body.messages.map((m) => messageText(m.content)).join('\u0000'));
  const seeds = Array.from({ length: n }, (_, i) => base + i);
  const plans = seeds.map((seed) => planToolCall(runtime, body, seed));
  const calls: Array<PlannedToolCall | undefined> = [];
  for (const plan of plans) {
    if (!plan.ok) {
      sendVllmError(res, 400, plan.message, plan.param);
      return;
    }
    calls.push(plan.call);
  }
  const anyCall = calls.some((c) => c !== undefined);
  const judge = runtime.config.sim.judge;
  const lastUser = [...body.messages].reverse().find((m) => m.role === 'user');
  const fixed =
    judge && !anyCall && lastUser
      ? judgeOrLabelledAnswer(
          judge.labels,
          messageText(lastUser.content),
          checked.model,
          judge.tier,
        )
      : undefined;
  const params = {
    promptTokens,
    promptBlockHashes: runtime.promptBlockHashes(promptIds),
    ...(checked.lora !== undefined ? { lora: checked.lora } : {}),
    maxTokens: checked.maxTokens,
    seeds,
    pieces: calls.map((c) => c?.pieces ?? fixed),
    stop: anyCall ? [] : stopList(body.stop),
  };
  const finishOf = (i: number, r: GenerationResult) =>
    calls[i] && r.finishReason === 'stop' ? 'tool_calls' : r.finishReason;
  const id = requestId('chatcmpl');
  const created = nowSeconds();
  const model = checked.model;
  let done = false;

  if (!body.stream) {
    const texts: string[] = Array.from({ length: n }, () => '');
    const cancel = runChoices(runtime, params, {
      onToken: (i, delta) => (texts[i] += delta),
      onAllDone: (results) => {
        done = true;
        sendJson(res, 200, {
          id,
          object: 'chat.completion',
          created,
          model,
          choices: results.map((r, index) => ({
            index,
            message: {
              role: 'assistant',
              content: calls[index] ? null : r.text,
              refusal: null,
              annotations: null,
              audio: null,
              function_call: null,
              tool_calls: calls[index]
                ? [
                    {
                      id: calls[index].id,
                      type: 'function',
                      function: { name: calls[index].name, arguments: r.text },
                    },
                  ]
                : [],
              reasoning_content: null,
            },
            logprobs: null,
            finish_reason: finishOf(index, r),
            stop_reason: r.stopReason,
          })),
          service_tier: null,
          system_fingerprint: null,
          usage: { ...usageOf(promptTokens, results), prompt_tokens_details: null },
          prompt_logprobs: null,
          kv_transfer_params: null,
        });
      },
    });
    cancelOnDisconnect(ctx, () => done, cancel);
    return;
  }

  const sse = openSse(ctx, 'data: ');
  const head = { id, object: 'chat.completion.chunk', created, model };
  const includeUsage = body.stream_options?.include_usage === true;
  const continuous = includeUsage && body.stream_options?.continuous_usage_stats === true;
  const generated = Array.from({ length: n }, () => 0);
  const usageNow = (i: number) => ({
    prompt_tokens: promptTokens,
    total_tokens: promptTokens + generated[i]!,
    completion_tokens: generated[i]!,
  });
  const chunk = (i: number, choice: object) =>
    sse.send(
      JSON.stringify({
        ...head,
        choices: [{ index: i, ...choice }],
        ...(continuous ? { usage: usageNow(i) } : {}),
      }),
    );
  for (let i = 0; i < n; i++)
    chunk(i, { delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null });
  // Hot path (one per token per stream): the same bytes as `chunk`, without building objects.
  const headJson = JSON.stringify(head).slice(0, -1);
  const tokenChunk = (i: number, delta: string) =>
    continuous
      ? chunk(i, { delta: { content: delta }, logprobs: null, finish_reason: null })
      : sse.send(
          `${headJson},"choices":[{"index":${i},"delta":{"content":${JSON.stringify(delta)}},"logprobs":null,"finish_reason":null}]}`,
        );
  // A tool call streams as tool_calls deltas: id, type and name with the first piece.
  const toolDelta = (i: number, piece: string, first: boolean) => {
    const call = calls[i]!;
    return {
      tool_calls: [
        first
          ? {
              id: call.id,
              type: 'function',
              index: 0,
              function: { name: call.name, arguments: piece },
            }
          : { index: 0, function: { arguments: piece } },
      ],
    };
  };
  // The last token goes out with finish_reason in one chunk, as vLLM does.
  const lastDelta: Array<{ piece: string; first: boolean }> = Array.from({ length: n }, () => ({
    piece: '',
    first: false,
  }));
  const cancel = runChoices(runtime, params, {
    onToken: (i, delta, count, last) => {
      generated[i] = count;
      if (last) lastDelta[i] = { piece: delta, first: count === 1 };
      else if (calls[i])
        chunk(i, { delta: toolDelta(i, delta, count === 1), logprobs: null, finish_reason: null });
      else tokenChunk(i, delta);
    },
    onChoiceDone: (i, r) => {
      const { piece, first } = lastDelta[i]!;
      chunk(i, {
        delta: calls[i] ? toolDelta(i, piece, first) : { content: piece },
        logprobs: null,
        finish_reason: finishOf(i, r),
        stop_reason: r.stopReason,
      });
    },
    onAllDone: (results) => {
      done = true;
      if (includeUsage)
        sse.send(JSON.stringify({ ...head, choices: [], usage: usageOf(promptTokens, results) }));
      sse.send('[DONE]');
      sse.end();
    },
  });
  cancelOnDisconnect(ctx, () => done, cancel);
}
