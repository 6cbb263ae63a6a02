// POST /v1/embeddings: float arrays or base64 float32 (the openai SDK asks for base64 by default).
import type { SimContext } from '../core/dialect.js';
import { embeddingVector, toBase64Floats } from '../core/embedding-vector.js';
import { sendJson } from '../core/http-io.js';
import { parseBody } from '../core/parse-body.js';
import { embeddingRequestSchema, formatOpenaiIssue } from './openai-schemas.js';
import { requireOpenaiModel } from './openai-prompt.js';

export function defaultEmbeddingDimensions(model: string): number {
  return model.includes('large') ? 3072 : 1536;
}

export async function handleOpenaiEmbeddings(ctx: SimContext): Promise<void> {
  const body = parseBody(embeddingRequestSchema, ctx.body, formatOpenaiIssue);
  requireOpenaiModel(body.model, ctx.models);
  const raw = body.input;
  const inputs: string[] =
    typeof raw === 'string'
      ? [raw]
      : raw.every((x) => typeof x === 'number')
        ? [raw.join(' ')]
        : raw.map((x) => (Array.isArray(x) ? x.join(' ') : String(x)));
  const dimensions = body.dimensions ?? defaultEmbeddingDimensions(body.model);
  const promptTokens = inputs.reduce((sum, text) => sum + ctx.tokens.count(text), 0);
  if (!(await ctx.waitWhole(1))) return;
  ctx.recordUsage(promptTokens, 0);
  const data = inputs.map((text, index) => {
    const vector = embeddingVector(ctx.seed, body.model, text, dimensions);
    return {
      object: 'embedding',
      index,
      embedding: body.encoding_format === 'base64' ? toBase64Floats(vector) : vector,
    };
  });
  sendJson(
    ctx.res,
    200,
    {
      object: 'list',
      data,
      model: body.model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    },
    ctx.headers,
  );
}
