import { ProviderError } from '../core/provider-error.js';
import type { EmbeddingRequest } from '../openai-types/embedding-request.js';
import type { EmbeddingResponse } from '../openai-types/responses.js';

/** https://ai.google.dev/api/embeddings#method:-models.batchembedcontents */
export interface GeminiBatchEmbedRequest {
  requests: {
    model: string;
    content: { parts: { text: string }[] };
    outputDimensionality?: number;
  }[];
}

export function buildGeminiEmbedRequest(
  req: EmbeddingRequest,
  model: string,
): GeminiBatchEmbedRequest {
  const inputs = typeof req.input === 'string' ? [req.input] : req.input;
  if (!inputs.every((x): x is string => typeof x === 'string')) {
    throw ProviderError.badRequest(
      'input: Gemini embeddings accept text only, not token arrays',
      'input',
    );
  }
  if (req.encoding_format === 'base64') {
    throw ProviderError.badRequest(
      'encoding_format: Gemini embeddings support only "float"',
      'encoding_format',
    );
  }
  return {
    requests: inputs.map((text) => ({
      model: `models/${model}`,
      content: { parts: [{ text }] },
      ...(req.dimensions ? { outputDimensionality: req.dimensions } : {}),
    })),
  };
}

/** Gemini returns no token counts for embeddings: usage is estimated (~4 characters a token). */
export function mapGeminiEmbedResponse(
  res: { embeddings?: { values?: number[] }[] },
  req: GeminiBatchEmbedRequest,
  model: string,
): EmbeddingResponse {
  const chars = req.requests.reduce((n, r) => n + (r.content.parts[0]?.text.length ?? 0), 0);
  const tokens = Math.ceil(chars / 4);
  return {
    object: 'list',
    data: (res.embeddings ?? []).map((e, index) => ({
      object: 'embedding',
      index,
      embedding: e.values ?? [],
    })),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
