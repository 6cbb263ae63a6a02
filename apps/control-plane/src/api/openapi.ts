import { ApiKeyInfoSchema, CreateKeyRequestSchema } from '@bascule/gateway';
import { ModelSchema, ProviderSchema, RouteSchema } from '@bascule/spec';
import { z } from 'zod';
import { ApiErrorBodySchema } from './api-error.js';
import { ExplainRequestSchema } from './routes/explain-routes.js';
import { FeedbackRequestSchema, RollbackRequestSchema } from './routes/learning-routes.js';

type Json = Record<string, unknown>;

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of a zod schema: the one source of truth. */
function schema(s: z.ZodType, io: 'input' | 'output' = 'output'): Json {
  const { $schema: _s, ...rest } = z.toJSONSchema(s, {
    io,
    unrepresentable: 'any',
    reused: 'inline',
  }) as Json;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (s: Json) => ({ content: { 'application/json': { schema: s } } });
const ok = (description: string, s: Json = { type: 'object' }) => ({ description, ...json(s) });
const errors = {
  '400': { description: 'Bad request (field path in error.path)', ...json(ref('Error')) },
  '401': { description: 'Missing, invalid or revoked key', ...json(ref('Error')) },
  '403': { description: 'The key may not do this', ...json(ref('Error')) },
  default: { description: 'Error', ...json(ref('Error')) },
};
const namespace = { name: 'namespace', in: 'query', required: false, schema: { type: 'string' } };
const name = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };

const KINDS = { models: 'Model', providers: 'Provider', routes: 'Route' } as const;

/** The OpenAPI 3.1 document of the control API, generated from the zod schemas it validates with. */
export function buildOpenApiDocument(): Json {
  const paths: Record<string, Json> = {
    '/api/v1/apply': {
      post: {
        operationId: 'apply',
        summary: 'Server-side apply of one or many Model, Provider and Route manifests',
        parameters: [
          namespace,
          { name: 'dryRun', in: 'query', required: false, schema: { type: 'boolean' } },
        ],
        requestBody: {
          required: true,
          content: {
            'application/yaml': { schema: { type: 'string' } },
            'application/json': {
              schema: { oneOf: [ref('Model'), ref('Provider'), ref('Route')] },
            },
          },
        },
        responses: {
          '200': ok('Per-object result: created, configured or unchanged', {
            type: 'object',
            properties: {
              dryRun: { type: 'boolean' },
              results: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['kind', 'name', 'namespace', 'result'],
                  properties: {
                    kind: { type: 'string' },
                    name: { type: 'string' },
                    namespace: { type: 'string' },
                    result: { enum: ['created', 'configured', 'unchanged'] },
                  },
                },
              },
            },
          }),
          '413': { description: 'Body too large', ...json(ref('Error')) },
          '422': {
            description: 'Validation errors with file:line:col and paths',
            ...json(ref('Error')),
          },
          ...errors,
        },
      },
    },
    '/api/v1/capacity': {
      get: {
        operationId: 'getCapacity',
        summary: 'GPUs per type: total, used, free, pending demand',
        parameters: [namespace],
        responses: { '200': ok('GPU capacity'), ...errors },
      },
    },
    '/api/v1/usage': {
      get: {
        operationId: 'getUsage',
        summary:
          'Tokens and cost by key, route, target or LoRA adapter and day (a tenant sees only its keys)',
        parameters: [
          {
            name: 'by',
            in: 'query',
            required: false,
            schema: { enum: ['key', 'route', 'target', 'adapter'] },
          },
          {
            name: 'from',
            in: 'query',
            required: false,
            schema: { type: 'string', format: 'date' },
          },
          { name: 'to', in: 'query', required: false, schema: { type: 'string', format: 'date' } },
        ],
        responses: { '200': ok('Usage rows and totals'), ...errors },
      },
    },
    '/api/v1/models/{name}/status': {
      get: {
        operationId: 'getModelStatus',
        summary:
          'Conditions, replicas, endpoints, GPU capacity, load, overflow and events of a Model',
        parameters: [name, namespace],
        responses: {
          '200': ok('Model status'),
          '404': { description: 'Not found', ...json(ref('Error')) },
          ...errors,
        },
      },
    },
    '/api/v1/routes/{name}/explain': {
      post: {
        operationId: 'explainRoute',
        summary: "The router's decision for a sample request, without sending it",
        parameters: [name, namespace],
        requestBody: { required: true, ...json(ref('ExplainRequest')) },
        responses: {
          '200': ok('Decision and per-target verdicts'),
          '404': { description: 'No such Route', ...json(ref('Error')) },
          ...errors,
        },
      },
    },
    '/api/v1/keys': {
      get: {
        operationId: 'listKeys',
        summary: 'API keys (never their secrets)',
        responses: {
          '200': ok('Keys', {
            type: 'object',
            properties: { items: { type: 'array', items: ref('ApiKey') } },
          }),
          ...errors,
        },
      },
      post: {
        operationId: 'createKey',
        summary: 'Issue a key (the secret is returned once)',
        requestBody: { required: true, ...json(ref('CreateKeyRequest')) },
        responses: { '201': ok('The new key with its secret', ref('ApiKey')), ...errors },
      },
    },
    '/api/v1/feedback': {
      post: {
        operationId: 'feedback',
        summary:
          "Grade a gateway answer by its x-request-id: a bad weak-tier answer teaches the Route's scorer that the prompt needed the strong model, a good one that it did not",
        requestBody: { required: true, ...json(ref('FeedbackRequest')) },
        responses: {
          '200': ok(
            'The label the grade gave (null for strong-tier answers) and the new weights version',
            {
              type: 'object',
              required: ['requestId', 'route', 'learned', 'label', 'why'],
              properties: {
                requestId: { type: 'string' },
                route: { type: 'string' },
                target: { type: 'string' },
                tier: { enum: ['simple', 'complex', null] },
                score: { type: 'number' },
                label: { enum: [0, 1, null] },
                learned: { type: 'boolean' },
                why: { type: 'string' },
                version: { type: 'integer' },
              },
            },
          ),
          '404': {
            description: "Unknown, expired or not this key's request",
            ...json(ref('Error')),
          },
          '409': { description: 'Already graded', ...json(ref('Error')) },
          ...errors,
        },
      },
    },
    '/api/v1/routes/{name}/weights': {
      get: {
        operationId: 'routeWeights',
        summary:
          "A Route's online weights: version in force, stored versions, shadow outcomes, today's shadow spend",
        parameters: [name, namespace],
        responses: { '200': ok('Versions, newest first'), ...errors },
      },
    },
    '/api/v1/routes/{name}/rollback': {
      post: {
        operationId: 'routeRollback',
        summary: "Restore an earlier version of a Route's online weights (stored as a new version)",
        parameters: [name, namespace],
        requestBody: { required: false, ...json(ref('RollbackRequest')) },
        responses: {
          '200': ok('The new version and the one it restored'),
          '404': { description: 'No such version', ...json(ref('Error')) },
          ...errors,
        },
      },
    },
    '/api/v1/keys/{id}': {
      delete: {
        operationId: 'revokeKey',
        summary: 'Revoke a key (refused at once everywhere)',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': ok('Revoked'),
          '404': { description: 'No such key', ...json(ref('Error')) },
          ...errors,
        },
      },
    },
    '/api/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'This document',
        security: [],
        responses: { '200': ok('OpenAPI 3.1') },
      },
    },
    '/healthz': {
      get: {
        operationId: 'healthz',
        summary: 'Alive',
        security: [],
        responses: {
          '200': { description: 'ok', content: { 'text/plain': { schema: { type: 'string' } } } },
        },
      },
    },
    '/readyz': {
      get: {
        operationId: 'readyz',
        summary: 'Kubernetes and Redis reachable',
        security: [],
        responses: { '200': ok('Ready'), '503': ok('Not ready') },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        summary: 'Prometheus metrics',
        security: [],
        responses: {
          '200': {
            description: 'Prometheus text',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
  };
  for (const [plural, kind] of Object.entries(KINDS)) {
    paths[`/api/v1/${plural}`] = {
      get: {
        operationId: `list${kind}s`,
        summary: `List ${kind}s`,
        parameters: [namespace],
        responses: {
          '200': ok(`${kind}s`, {
            type: 'object',
            properties: { items: { type: 'array', items: ref(kind) } },
          }),
          ...errors,
        },
      },
    };
    paths[`/api/v1/${plural}/{name}`] = {
      get: {
        operationId: `get${kind}`,
        summary: `Get a ${kind}`,
        parameters: [name, namespace],
        responses: {
          '200': ok(kind, ref(kind)),
          '404': { description: 'Not found', ...json(ref('Error')) },
          ...errors,
        },
      },
      delete: {
        operationId: `delete${kind}`,
        summary: `Delete a ${kind}`,
        parameters: [name, namespace],
        responses: {
          '200': ok('Deleted'),
          '404': { description: 'Not found', ...json(ref('Error')) },
          ...errors,
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Bascule control API',
      version: 'v1',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A bsc-... API key' },
      },
      schemas: {
        Model: schema(ModelSchema, 'input'),
        Provider: schema(ProviderSchema, 'input'),
        Route: schema(RouteSchema, 'input'),
        CreateKeyRequest: schema(CreateKeyRequestSchema, 'input'),
        ApiKey: schema(ApiKeyInfoSchema.extend({ key: z.string().optional() })),
        ExplainRequest: schema(ExplainRequestSchema, 'input'),
        FeedbackRequest: schema(FeedbackRequestSchema, 'input'),
        RollbackRequest: schema(RollbackRequestSchema, 'input'),
        Error: schema(ApiErrorBodySchema),
      },
    },
  };
}
