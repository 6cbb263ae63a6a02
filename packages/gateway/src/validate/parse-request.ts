import {
  chatCompletionRequestSchema,
  completionRequestSchema,
  embeddingRequestSchema,
  type ChatCompletionRequest,
  type CompletionRequest,
  type EmbeddingRequest,
} from '@bascule/providers';
import type { RequestKind } from '@bascule/router';
import { MAX_JSON_DEPTH, jsonDepth, jsonTooDeepMessage } from '@bascule/spec';
import type { z } from 'zod';
import { GatewayError } from '../errors/gateway-error.js';
import { acceptsChatFast } from './fast-accept.js';

export type ParsedRequest = (
  | { kind: 'chat'; body: ChatCompletionRequest }
  | { kind: 'completions'; body: CompletionRequest }
  | { kind: 'embeddings'; body: EmbeddingRequest }
) & {
  /**
   * The JSON text `body` was parsed from, when body is exactly that parse (the fast path: no
   * schema output): the engine's body is spliced from it instead of serialised again.
   */
  raw?: string;
};

const SCHEMAS: Record<RequestKind, z.ZodType> = {
  chat: chatCompletionRequestSchema,
  completions: completionRequestSchema,
  embeddings: embeddingRequestSchema,
};

/** JSON text to a validated request; a 400 naming the field on any problem. */
export function parseRequest(kind: RequestKind, text: string): ParsedRequest {
  const json = parseJsonText(text);
  // The common chat request needs no schema run (acceptsChatFast says when the schema agrees).
  if (kind === 'chat' && isPlainObject(json) && acceptsChatFast(json))
    return { kind, body: json as ChatCompletionRequest, raw: text };
  return { kind, body: validateBody(SCHEMAS[kind], json) } as ParsedRequest;
}

function isPlainObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON text to a value; a 400 when it is nested too deep or is not JSON. */
export function parseJsonText(text: string): unknown {
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    throw GatewayError.badRequest(jsonTooDeepMessage(), undefined, 'json_too_deep');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw GatewayError.badRequest(
      'We could not parse the JSON body of your request: it is not valid JSON.',
      undefined,
      'invalid_json',
    );
  }
}

/**
 * A request body checked against its schema: it must be a JSON object, and the first problem is
 * a 400 naming the field (`refine` may throw a more telling error for an issue first).
 */
export function validateBody<T>(
  schema: z.ZodType<T>,
  json: unknown,
  refine?: (issue: z.core.$ZodIssue, param: string) => void,
): T {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw GatewayError.badRequest(
      'the request body must be a JSON object',
      undefined,
      'invalid_body',
    );
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const param = issue.path.map(String).join('.');
  refine?.(issue, param);
  throw GatewayError.badRequest(
    `${param || 'body'}: ${issue.message}`,
    param || undefined,
    issue.code === 'invalid_type' && issue.input === undefined
      ? 'missing_required_parameter'
      : 'invalid_value',
  );
}
