import { hashSeed } from './seeded-random.js';
import { sendJson } from './http-io.js';
import { cancelOnDisconnect, openSse, type RequestContext } from './request-context.js';
import { runChoices } from './run-choices.js';
import { sendTgiError, sendTgiValidation } from './tgi-errors.js';
import { serdeMessage, tgiGenerateSchema } from './tgi-schemas.js';
import { admitTgi } from './tgi-validate.js';
import type { GenerationResult } from './generation.js';

/** TGI's finish reasons. */
export function tgiFinishReason(r: GenerationResult): 'length' | 'eos_token' | 'stop_sequence' {
  if (r.stopReason !== null) return 'stop_sequence';
  return r.finishReason === 'length' ? 'length' : 'eos_token';
}

/** A token object as TGI returns it (ids and logprobs are simulated but stable). */
export function tgiToken(text: string) {
  const h = hashSeed('tok', text);
  return { id: h % 128000, text, logprob: -((h % 1000) / 1000), special: false };
}

/** POST /generate and /generate_stream (and POST / with "stream"), in TGI's formats. */
export function handleTgiGenerate(ctx: RequestContext, forceStream?: boolean): void {
  const { runtime, res } = ctx;
  const parsed = tgiGenerateSchema.safeParse(ctx.body);
  if (!parsed.success) {
    sendTgiError(res, 422, serdeMessage(parsed.error), 'validation');
    return;
  }
  const body = parsed.data;
  const p = body.parameters ?? {};
  if (body.inputs.length === 0) {
    runtime.metrics.requestFailed('validation');
    sendTgiValidation(res, '`inputs` cannot be empty');
    return;
  }
  const inputIds = runtime.encodeTokens(body.inputs);
  const inputTokens = inputIds.length;
  const stop = p.stop ?? [];
  const maxNewTokens = admitTgi(runtime, res, inputTokens, p.max_new_tokens, stop);
  if (maxNewTokens === undefined) return;
  const seed = p.seed ?? hashSeed(runtime.config.seed, body.inputs);
  const stream = forceStream ?? body.stream === true;
  const compat = forceStream === undefined;
  const details = p.details === true;
  const prefix = p.return_full_text ? body.inputs : '';
  let done = false;
  const tokens: Array<ReturnType<typeof tgiToken>> = [];
  let lastToken = tgiToken('');
  const sse = stream ? openSse(ctx, 'data:') : undefined;
  const cancel = runChoices(
    runtime,
    {
      promptTokens: inputTokens,
      promptBlockHashes: runtime.promptBlockHashes(inputIds),
      maxTokens: maxNewTokens,
      seeds: [seed],
      stop,
      includeStop: true,
    },
    {
      onToken: (_i, delta, count, last) => {
        const token = tgiToken(delta);
        lastToken = token;
        if (details || !stream) tokens.push(token);
        if (sse && !last)
          sse.send(JSON.stringify({ index: count, token, generated_text: null, details: null }));
      },
      onAllDone: ([r]) => {
        done = true;
        const result = r!;
        const finish = tgiFinishReason(result);
        if (sse) {
          sse.send(
            JSON.stringify({
              index: result.tokens,
              token: lastToken,
              generated_text: prefix + result.text,
              details: details
                ? {
                    finish_reason: finish,
                    generated_tokens: result.tokens,
                    seed: p.seed ?? null,
                    input_length: inputTokens,
                  }
                : null,
            }),
          );
          sse.end();
          return;
        }
        const response = {
          generated_text: prefix + result.text,
          ...(details
            ? {
                details: {
                  finish_reason: finish,
                  generated_tokens: result.tokens,
                  seed: p.seed ?? null,
                  prefill: [],
                  tokens,
                },
              }
            : {}),
        };
        const headers = {
          'x-compute-type': 'gpu+optimized',
          'x-prompt-tokens': String(inputTokens),
          'x-generated-tokens': String(result.tokens),
          'x-total-time': String(Math.round(result.record.e2eSeconds * 1000)),
          'x-queue-time': String(Math.round(result.record.queueSeconds * 1000)),
        };
        sendJson(res, 200, compat ? [response] : response, headers);
      },
    },
  );
  cancelOnDisconnect(ctx, () => done, cancel);
}
