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

export type ParsedRequest =
  | { kind: 'chat'; body: ChatCompletionRequest }
  | { kind: 'completions'; body: CompletionRequest }
  | { kind: 'embeddings'; body: EmbeddingRequest };

const SCHEMAS: Record<RequestKind, z.ZodType> = {
  chat: chatCompletionRequestSchema,
  completions: completionRequestSchema,
  embeddings: embeddingRequestSchema,
};

/** JSON text to a validated request; a 400 naming the field on any problem. */
export function parseRequest(kind: RequestKind, text: string): ParsedRequest {
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    throw GatewayError.badRequest(jsonTooDeepMessage(), undefined, 'json_too_deep');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw GatewayError.badRequest(
      'We could not parse the JSON body of your request: it is not valid JSON.',
      undefined,
      'invalid_json',
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw GatewayError.badRequest(
      'the request body must be a JSON object',
      undefined,
      'invalid_body',
    );
  const r = SCHEMAS[kind].safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const param = issue.path.map(String).join('.') || undefined;
    throw GatewayError.badRequest(
      `${param ?? 'body'}: ${issue.message}`,
      param,
      issue.code === 'invalid_type' && issue.input === undefined
        ? 'missing_required_parameter'
        : 'invalid_value',
    );
  }
  return { kind, body: r.data } as ParsedRequest;
}
