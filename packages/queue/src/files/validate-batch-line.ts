import { MAX_JSON_DEPTH, jsonDepth, jsonTooDeepMessage } from '@bascule/spec';
/** Endpoints a batch line (or an async job) may call. */
export const BATCH_ENDPOINTS = [
  '/v1/chat/completions',
  '/v1/completions',
  '/v1/embeddings',
] as const;
export type BatchEndpoint = (typeof BATCH_ENDPOINTS)[number];

export function isBatchEndpoint(url: unknown): url is BatchEndpoint {
  return typeof url === 'string' && (BATCH_ENDPOINTS as readonly string[]).includes(url);
}

export interface BatchLine {
  custom_id: string;
  method: 'POST';
  url: BatchEndpoint;
  body: Record<string, unknown> & { model: string };
}

export interface LineProblem {
  /** 1-based; null for the file as a whole. */
  line: number | null;
  param: string | null;
  message: string;
}

/** Checks one JSONL line of a batch input file; returns the line or what is wrong with it. */
export function validateBatchLine(text: string, line: number): BatchLine | LineProblem {
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    return { line, param: null, message: jsonTooDeepMessage().replace('the body', 'the line') };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { line, param: null, message: 'is not valid JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return { line, param: null, message: 'must be a JSON object' };
  const o = v as Record<string, unknown>;
  if (typeof o.custom_id !== 'string' || o.custom_id.length === 0 || o.custom_id.length > 512)
    return {
      line,
      param: 'custom_id',
      message: 'custom_id must be a string of 1 to 512 characters',
    };
  if (o.method !== 'POST') return { line, param: 'method', message: 'method must be "POST"' };
  if (!isBatchEndpoint(o.url))
    return {
      line,
      param: 'url',
      message: `url must be one of ${BATCH_ENDPOINTS.join(', ')} (got ${JSON.stringify(o.url)?.slice(0, 80)})`,
    };
  const body = o.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { line, param: 'body', message: 'body must be a JSON object' };
  const model = (body as Record<string, unknown>).model;
  if (typeof model !== 'string' || model.length === 0)
    return { line, param: 'body.model', message: 'body.model must be a non-empty string' };
  if ((body as Record<string, unknown>).stream === true)
    return { line, param: 'body.stream', message: 'body.stream is not supported in a batch' };
  return o as unknown as BatchLine;
}
