// models/{m}:embedContent and :batchEmbedContents (what @google/genai's embedContent calls).
import type { SimContext } from '../core/dialect.js';
import { embeddingVector } from '../core/embedding-vector.js';
import { sendJson } from '../core/http-io.js';
import { parseBody } from '../core/parse-body.js';
import { contentText, requireGeminiModel } from './gemini-prompt.js';
import {
  batchEmbedRequestSchema,
  embedContentRequestSchema,
  formatGeminiIssue,
} from './gemini-schemas.js';

export function defaultGeminiDimensions(model: string): number {
  return model.startsWith('gemini-embedding') ? 3072 : 768;
}

type EmbedRequest = {
  content: Parameters<typeof contentText>[0] & object;
  outputDimensionality?: number;
};

async function embedAll(
  ctx: SimContext,
  model: string,
  requests: EmbedRequest[],
): Promise<{ values: number[] }[]> {
  let tokens = 0;
  const out = requests.map((r) => {
    const text = contentText(r.content);
    tokens += ctx.tokens.count(text);
    return {
      values: embeddingVector(
        ctx.seed,
        model,
        text,
        r.outputDimensionality ?? defaultGeminiDimensions(model),
      ),
    };
  });
  if (!(await ctx.waitWhole(1))) return [];
  ctx.recordUsage(tokens, 0);
  return out;
}

export async function handleGeminiEmbed(
  ctx: SimContext,
  model: string,
  version: string,
  batch: boolean,
): Promise<void> {
  requireGeminiModel(model, ctx.models, batch ? 'batchEmbedContents' : 'embedContent', version);
  if (batch) {
    const body = parseBody(batchEmbedRequestSchema, ctx.body, formatGeminiIssue);
    const embeddings = await embedAll(ctx, model, body.requests);
    if (!ctx.signal.aborted) sendJson(ctx.res, 200, { embeddings }, ctx.headers);
    return;
  }
  const body = parseBody(embedContentRequestSchema, ctx.body, formatGeminiIssue);
  const [embedding] = await embedAll(ctx, model, [body]);
  if (embedding && !ctx.signal.aborted) sendJson(ctx.res, 200, { embedding }, ctx.headers);
}
