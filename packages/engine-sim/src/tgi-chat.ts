import { sendJson } from './http-io.js';
import {
  cancelOnDisconnect,
  nowSeconds,
  openSse,
  stopList,
  type RequestContext,
} from './request-context.js';
import { runChoices } from './run-choices.js';
import { hashSeed } from './seeded-random.js';
import { sendTgiError, sendTgiValidation } from './tgi-errors.js';
import { serdeMessage, tgiChatSchema } from './tgi-schemas.js';
import { TGI_VERSION } from './tgi-info.js';
import { admitTgi } from './tgi-validate.js';
import { chatTokenIds, messageText } from './token-counter.js';

/** POST /v1/chat/completions in TGI's OpenAI-compatible format (TGI 3.x Messages API). */
export function handleTgiChat(ctx: RequestContext): void {
  const { runtime, res } = ctx;
  const parsed = tgiChatSchema.safeParse(ctx.body);
  if (!parsed.success) {
    sendTgiError(res, 422, serdeMessage(parsed.error), 'validation');
    return;
  }
  const body = parsed.data;
  if (body.logprobs || (body.top_logprobs ?? 0) > 0) {
    sendTgiValidation(res, 'logprobs are not supported by engine-sim');
    return;
  }
  if ((body.n ?? 1) !== 1) {
    sendTgiValidation(res, '`n` > 1 is not supported');
    return;
  }
  const promptIds = chatTokenIds(runtime.encodeTokens, body.messages);
  const inputTokens = promptIds.length;
  const stop = stopList(body.stop);
  const maxNewTokens = admitTgi(
    runtime,
    res,
    inputTokens,
    body.max_completion_tokens ?? body.max_tokens,
    stop,
  );
  if (maxNewTokens === undefined) return;
  const seed =
    body.seed ??
    hashSeed(runtime.config.seed, body.messages.map((m) => messageText(m.content)).join('\u0000'));
  const head = {
    id: '',
    created: nowSeconds(),
    model: runtime.config.model,
    system_fingerprint: `${TGI_VERSION}-native`,
  };
  const usage = (completion: number) => ({
    prompt_tokens: inputTokens,
    completion_tokens: completion,
    total_tokens: inputTokens + completion,
  });
  const plan = {
    promptTokens: inputTokens,
    promptBlockHashes: runtime.promptBlockHashes(promptIds),
    maxTokens: maxNewTokens,
    seeds: [seed],
    stop,
    includeStop: true,
  };
  let done = false;
  if (!body.stream) {
    const cancel = runChoices(runtime, plan, {
      onAllDone: ([r]) => {
        done = true;
        sendJson(res, 200, {
          object: 'chat.completion',
          ...head,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: r!.text },
              logprobs: null,
              finish_reason: r!.finishReason,
            },
          ],
          usage: usage(r!.tokens),
        });
      },
    });
    cancelOnDisconnect(ctx, () => done, cancel);
    return;
  }
  const sse = openSse(ctx, 'data:');
  const chunk = (delta: object, finish: string | null) =>
    sse.send(
      JSON.stringify({
        object: 'chat.completion.chunk',
        ...head,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        usage: null,
      }),
    );
  let lastDelta = '';
  const cancel = runChoices(runtime, plan, {
    onToken: (_i, delta, _count, last) => {
      if (last) lastDelta = delta;
      else chunk({ role: 'assistant', content: delta }, null);
    },
    onAllDone: ([r]) => {
      done = true;
      chunk({ role: 'assistant', content: lastDelta }, r!.finishReason);
      if (body.stream_options?.include_usage) {
        sse.send(
          JSON.stringify({
            object: 'chat.completion.chunk',
            ...head,
            choices: [],
            usage: usage(r!.tokens),
          }),
        );
      }
      sse.send('[DONE]');
      sse.end();
    },
  });
  cancelOnDisconnect(ctx, () => done, cancel);
}
