import { sendJson } from './http-io.js';
import {
  cancelOnDisconnect,
  nowSeconds,
  requestId,
  type RequestContext,
} from './request-context.js';
import { hashSeed, seededRandom } from './seeded-random.js';
import { sendVllmError } from './vllm-errors.js';
import { describeIssues, embeddingRequestSchema } from './vllm-schemas.js';

/** Hidden size used for simulated embeddings when the request gives no `dimensions`. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 4096;

/** A deterministic unit vector for a text. */
export function embedText(key: string, dims: number): Float32Array {
  const random = seededRandom(hashSeed('embed', key));
  const v = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    const x = random() * 2 - 1;
    v[i] = x;
    norm += x * x;
  }
  const inv = 1 / Math.sqrt(norm || 1);
  for (let i = 0; i < dims; i++) v[i]! *= inv;
  return v;
}

/** POST /v1/embeddings: each input is one prefill-only sequence on the scheduler. */
export function handleVllmEmbeddings(ctx: RequestContext): void {
  const { runtime, res } = ctx;
  const parsed = embeddingRequestSchema.safeParse(ctx.body);
  if (!parsed.success) {
    const { message, param } = describeIssues(parsed.error);
    sendVllmError(res, 400, message, param);
    return;
  }
  const body = parsed.data;
  const resolved = runtime.resolveModel(body.model ?? undefined);
  if (!resolved) {
    sendVllmError(res, 404, `The model \`${body.model}\` does not exist.`, 'model');
    return;
  }
  const input = body.input;
  const items: Array<{ key: string; tokens: number }> =
    typeof input === 'string'
      ? [{ key: input, tokens: runtime.countTokens(input) }]
      : input.every((x) => typeof x === 'number')
        ? [{ key: input.join(','), tokens: input.length }]
        : (input as Array<string | number[]>).map((x) =>
            typeof x === 'string'
              ? { key: x, tokens: runtime.countTokens(x) }
              : { key: x.join(','), tokens: x.length },
          );
  const maxLen = runtime.config.maxModelLen;
  const tooLong = items.find((i) => i.tokens > maxLen);
  if (tooLong) {
    sendVllmError(
      res,
      400,
      `This model's maximum context length is ${maxLen} tokens. However, you requested ${tooLong.tokens} tokens in the input for embedding generation. Please reduce the length of the input.`,
      'input_tokens',
    );
    return;
  }
  const dims = body.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  let remaining = items.length;
  let done = false;
  const cancels = items.map((item) =>
    runtime.generate(
      { promptTokens: item.tokens, maxTokens: 1, seed: 0, stop: [], outputLength: { kind: 'max' } },
      {
        onDone: () => {
          if (--remaining > 0) return;
          done = true;
          const promptTokens = items.reduce((s, i) => s + i.tokens, 0);
          sendJson(res, 200, {
            id: requestId('embd'),
            object: 'list',
            created: nowSeconds(),
            model: resolved.name,
            data: items.map((it, index) => {
              const v = embedText(it.key, dims);
              return {
                index,
                object: 'embedding',
                embedding:
                  body.encoding_format === 'base64'
                    ? Buffer.from(v.buffer).toString('base64')
                    : Array.from(v),
              };
            }),
            usage: {
              prompt_tokens: promptTokens,
              total_tokens: promptTokens,
              completion_tokens: 0,
              prompt_tokens_details: null,
            },
          });
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
