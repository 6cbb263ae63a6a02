import { queueAdmit, queueAuthenticate } from '@bascule/control-plane';
import {
  createKeyAuthenticator,
  createRedisClient,
  createRedisKeyStore,
  type Redis,
} from '@bascule/gateway';
import type { RunningEngine } from '@bascule/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApiStack, type ApiStack } from '../api/support/api-stack.js';
import { hasKubectl } from '../controller/support/controller-harness.js';
import { modelResource, routeResource } from '../gateway/support/fixtures.js';
import { startEngine } from '../gateway/support/harness.js';
import { batchLines, startQueueStack, type QueueStack } from '../queue/support/queue-stack.js';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';

/**
 * Issue 21: bad input everywhere gets a 4xx whose error names the field, never a 500 or a
 * stack trace. Each row: a request, the status expected and the field the error must name
 * (as `param`, `path`, or in the message).
 */
interface Case {
  name: string;
  method: string;
  path: string;
  /** JSON value (sent as JSON), a raw string, or a multipart form. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Send no Authorization header / use this key instead of the default one. */
  key?: string | null;
  status: number;
  field: string;
}

const msg = [{ role: 'user', content: 'hi' }];
const chat = (over: Record<string, unknown>) => ({ model: 'chat', messages: msg, ...over });
const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

async function send(base: string, c: Case, defaultKey: string): Promise<Response> {
  const key = c.key === undefined ? defaultKey : c.key;
  const raw = typeof c.body === 'string' || c.body instanceof FormData;
  return fetch(`${base}${c.path}`, {
    method: c.method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(c.body !== undefined && !(c.body instanceof FormData)
        ? { 'content-type': 'application/json' }
        : {}),
      ...c.headers,
    },
    ...(c.body !== undefined
      ? { body: raw ? (c.body as string | FormData) : JSON.stringify(c.body) }
      : {}),
  });
}

/** The field named by an error body of any of our three shapes. */
async function expectNamed(r: Response, c: Case): Promise<void> {
  const text = await r.text();
  expect({ case: c.name, status: r.status }).toEqual({ case: c.name, status: c.status });
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  const e = (
    JSON.parse(text) as { error: { param?: string | null; path?: string; message: string } }
  ).error;
  const named = [e.param, e.path].includes(c.field) || e.message.includes(c.field);
  expect({ case: c.name, named, error: e }).toMatchObject({ case: c.name, named: true });
}

const GATEWAY_CASES: Case[] = [
  // The request as a whole
  {
    name: 'invalid JSON',
    method: 'POST',
    path: '/v1/chat/completions',
    body: '{"model":',
    status: 400,
    field: 'JSON',
  },
  {
    name: 'array body',
    method: 'POST',
    path: '/v1/chat/completions',
    body: '[]',
    status: 400,
    field: 'body',
  },
  {
    name: 'string body',
    method: 'POST',
    path: '/v1/chat/completions',
    body: '"hi"',
    status: 400,
    field: 'body',
  },
  {
    name: 'empty body',
    method: 'POST',
    path: '/v1/chat/completions',
    body: '',
    status: 400,
    field: 'JSON',
  },
  {
    name: 'JSON 5,000 deep',
    method: 'POST',
    path: '/v1/chat/completions',
    body: deep(5000),
    status: 400,
    field: 'body',
  },
  {
    name: 'schema 5,000 deep',
    method: 'POST',
    path: '/v1/chat/completions',
    body: `{"model":"chat","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":${deep(5000)}}}}`,
    status: 400,
    field: 'body',
  },
  {
    name: 'JSON 65 deep',
    method: 'POST',
    path: '/v1/chat/completions',
    body: deep(65),
    status: 400,
    field: 'body',
  },
  {
    name: 'deep JSON on embeddings',
    method: 'POST',
    path: '/v1/embeddings',
    body: deep(5000),
    status: 400,
    field: 'body',
  },
  {
    name: 'deep JSON on completions',
    method: 'POST',
    path: '/v1/completions',
    body: deep(5000),
    status: 400,
    field: 'body',
  },
  // Headers
  {
    name: 'no key',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({}),
    key: null,
    status: 401,
    field: 'Authorization',
  },
  {
    name: 'not a bsc key',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({}),
    key: 'sk-123',
    status: 401,
    field: 'API key',
  },
  {
    name: 'unknown key',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({}),
    key: 'bsc-unknownunknownunknown',
    status: 401,
    field: 'API key',
  },
  {
    name: 'bad privacy header',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({}),
    headers: { 'x-bascule-privacy': 'max' },
    status: 400,
    field: 'x-bascule-privacy',
  },
  {
    name: 'on-behalf-of from a user key',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({}),
    headers: { 'x-bascule-on-behalf-of': 'key_0123456789abcdef' },
    status: 403,
    field: 'x-bascule-on-behalf-of',
  },
  {
    name: 'no key on listing',
    method: 'GET',
    path: '/v1/models',
    key: null,
    status: 401,
    field: 'Authorization',
  },
  // model
  {
    name: 'model missing',
    method: 'POST',
    path: '/v1/chat/completions',
    body: { messages: msg },
    status: 400,
    field: 'model',
  },
  {
    name: 'model number',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ model: 5 }),
    status: 400,
    field: 'model',
  },
  {
    name: 'model null',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ model: null }),
    status: 400,
    field: 'model',
  },
  {
    name: 'model array',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ model: ['chat'] }),
    status: 400,
    field: 'model',
  },
  {
    name: 'model unknown',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ model: 'nope' }),
    key: ADMIN,
    status: 404,
    field: 'model',
  },
  {
    name: 'model 10 KB',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ model: 'x'.repeat(10_000) }),
    key: ADMIN,
    status: 404,
    field: 'model',
  },
  {
    name: 'model outside key scope',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ model: 'other' }),
    status: 403,
    field: 'model',
  },
  // messages
  {
    name: 'messages missing',
    method: 'POST',
    path: '/v1/chat/completions',
    body: { model: 'chat' },
    status: 400,
    field: 'messages',
  },
  {
    name: 'messages string',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ messages: 'hi' }),
    status: 400,
    field: 'messages',
  },
  {
    name: 'messages object',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ messages: { role: 'user' } }),
    status: 400,
    field: 'messages',
  },
  {
    name: 'message not an object',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ messages: ['hi'] }),
    status: 400,
    field: 'messages.0',
  },
  {
    name: 'message role unknown',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ messages: [{ role: 'robot', content: 'hi' }] }),
    status: 400,
    field: 'messages.0',
  },
  {
    name: 'message role missing',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ messages: [{ content: 'hi' }] }),
    status: 400,
    field: 'messages.0',
  },
  {
    name: 'message content number',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ messages: [{ role: 'user', content: 5 }] }),
    status: 400,
    field: 'messages.0',
  },
  // sampling parameters
  {
    name: 'temperature string',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ temperature: 'hot' }),
    status: 400,
    field: 'temperature',
  },
  {
    name: 'temperature 3',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ temperature: 3 }),
    status: 400,
    field: 'temperature',
  },
  {
    name: 'temperature -1',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ temperature: -1 }),
    status: 400,
    field: 'temperature',
  },
  {
    name: 'top_p 2',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ top_p: 2 }),
    status: 400,
    field: 'top_p',
  },
  {
    name: 'top_p string',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ top_p: 'x' }),
    status: 400,
    field: 'top_p',
  },
  {
    name: 'n 0',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ n: 0 }),
    status: 400,
    field: 'n',
  },
  {
    name: 'n 1.5',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ n: 1.5 }),
    status: 400,
    field: 'n',
  },
  {
    name: 'max_tokens -1',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ max_tokens: -1 }),
    status: 400,
    field: 'max_tokens',
  },
  {
    name: 'max_tokens string',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ max_tokens: 'x' }),
    status: 400,
    field: 'max_tokens',
  },
  {
    name: 'max_tokens 1.5',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ max_tokens: 1.5 }),
    status: 400,
    field: 'max_tokens',
  },
  {
    name: 'max_completion_tokens -5',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ max_completion_tokens: -5 }),
    status: 400,
    field: 'max_completion_tokens',
  },
  {
    name: 'stream string',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ stream: 'yes' }),
    status: 400,
    field: 'stream',
  },
  {
    name: 'stream_options string',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ stream_options: 'x' }),
    status: 400,
    field: 'stream_options',
  },
  {
    name: 'stop number',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ stop: 5 }),
    status: 400,
    field: 'stop',
  },
  {
    name: 'presence_penalty 5',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ presence_penalty: 5 }),
    status: 400,
    field: 'presence_penalty',
  },
  {
    name: 'frequency_penalty -5',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ frequency_penalty: -5 }),
    status: 400,
    field: 'frequency_penalty',
  },
  {
    name: 'seed string',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ seed: 'x' }),
    status: 400,
    field: 'seed',
  },
  {
    name: 'logprobs string',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ logprobs: 'x' }),
    status: 400,
    field: 'logprobs',
  },
  {
    name: 'user number',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ user: 5 }),
    status: 400,
    field: 'user',
  },
  {
    name: 'logit_bias string',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ logit_bias: 'x' }),
    status: 400,
    field: 'logit_bias',
  },
  // tools and formats
  {
    name: 'tools string',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ tools: 'x' }),
    status: 400,
    field: 'tools',
  },
  {
    name: 'tool without function',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ tools: [{ type: 'function' }] }),
    status: 400,
    field: 'tools.0',
  },
  {
    name: 'tool_choice number',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ tool_choice: 5 }),
    status: 400,
    field: 'tool_choice',
  },
  {
    name: 'response_format string',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ response_format: 'json' }),
    status: 400,
    field: 'response_format',
  },
  {
    name: 'response_format type unknown',
    method: 'POST',
    path: '/v1/chat/completions',
    body: chat({ response_format: { type: 'xml' } }),
    status: 400,
    field: 'response_format',
  },
  // completions
  {
    name: 'completions: prompt missing',
    method: 'POST',
    path: '/v1/completions',
    body: { model: 'chat' },
    status: 400,
    field: 'prompt',
  },
  {
    name: 'completions: prompt number',
    method: 'POST',
    path: '/v1/completions',
    body: { model: 'chat', prompt: 5 },
    status: 400,
    field: 'prompt',
  },
  {
    name: 'completions: max_tokens string',
    method: 'POST',
    path: '/v1/completions',
    body: { model: 'chat', prompt: 'hi', max_tokens: 'x' },
    status: 400,
    field: 'max_tokens',
  },
  {
    name: 'completions: echo string',
    method: 'POST',
    path: '/v1/completions',
    body: { model: 'chat', prompt: 'hi', echo: 'x' },
    status: 400,
    field: 'echo',
  },
  {
    name: 'completions: temperature 9',
    method: 'POST',
    path: '/v1/completions',
    body: { model: 'chat', prompt: 'hi', temperature: 9 },
    status: 400,
    field: 'temperature',
  },
  {
    name: 'completions: model missing',
    method: 'POST',
    path: '/v1/completions',
    body: { prompt: 'hi' },
    status: 400,
    field: 'model',
  },
  // embeddings
  {
    name: 'embeddings: input missing',
    method: 'POST',
    path: '/v1/embeddings',
    body: { model: 'chat' },
    status: 400,
    field: 'input',
  },
  {
    name: 'embeddings: input number',
    method: 'POST',
    path: '/v1/embeddings',
    body: { model: 'chat', input: 5 },
    status: 400,
    field: 'input',
  },
  {
    name: 'embeddings: encoding_format hex',
    method: 'POST',
    path: '/v1/embeddings',
    body: { model: 'chat', input: 'hi', encoding_format: 'hex' },
    status: 400,
    field: 'encoding_format',
  },
  {
    name: 'embeddings: dimensions string',
    method: 'POST',
    path: '/v1/embeddings',
    body: { model: 'chat', input: 'hi', dimensions: 'x' },
    status: 400,
    field: 'dimensions',
  },
  {
    name: 'embeddings: model missing',
    method: 'POST',
    path: '/v1/embeddings',
    body: { input: 'hi' },
    status: 400,
    field: 'model',
  },
];

const jobBody = { route: 'chat', body: { messages: msg } };
const batchBody = {
  input_file_id: 'FILE',
  endpoint: '/v1/chat/completions',
  completion_window: '24h',
};
const line = (o: Record<string, unknown>) =>
  JSON.stringify({
    custom_id: 'a',
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'chat', messages: msg },
    ...o,
  });
const form = (fields: Record<string, string>, file?: string) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  if (file !== undefined) f.append('file', new Blob([file]), 'in.jsonl');
  return f;
};

/** Built per run: FormData bodies are consumed once. */
const BATCH_CASES = (): Case[] => [
  // /v1/files
  {
    name: 'upload: not multipart',
    method: 'POST',
    path: '/v1/files',
    body: '{}',
    status: 415,
    field: 'multipart',
  },
  {
    name: 'upload: no purpose',
    method: 'POST',
    path: '/v1/files',
    body: form({}, line({}) + '\n'),
    status: 400,
    field: 'purpose',
  },
  {
    name: 'upload: purpose fine-tune',
    method: 'POST',
    path: '/v1/files',
    body: form({ purpose: 'fine-tune' }, line({}) + '\n'),
    status: 400,
    field: 'purpose',
  },
  {
    name: 'upload: no file',
    method: 'POST',
    path: '/v1/files',
    body: form({ purpose: 'batch' }),
    status: 400,
    field: 'file',
  },
  {
    name: 'upload: empty file',
    method: 'POST',
    path: '/v1/files',
    body: form({ purpose: 'batch' }, ''),
    status: 400,
    field: 'file',
  },
  {
    name: 'upload: line not JSON',
    method: 'POST',
    path: '/v1/files',
    body: form({ purpose: 'batch' }, '{"x":\n'),
    status: 400,
    field: 'file',
  },
  {
    name: 'upload: line too deep',
    method: 'POST',
    path: '/v1/files',
    body: form({ purpose: 'batch' }, deep(5000) + '\n'),
    status: 400,
    field: 'file',
  },
  {
    name: 'upload: custom_id missing',
    method: 'POST',
    path: '/v1/files',
    body: form({ purpose: 'batch' }, line({ custom_id: undefined }) + '\n'),
    status: 400,
    field: 'custom_id',
  },
  {
    name: 'upload: custom_id repeated',
    method: 'POST',
    path: '/v1/files',
    body: form({ purpose: 'batch' }, line({}) + '\n' + line({}) + '\n'),
    status: 400,
    field: 'custom_id',
  },
  {
    name: 'upload: method GET',
    method: 'POST',
    path: '/v1/files',
    body: form({ purpose: 'batch' }, line({ method: 'GET' }) + '\n'),
    status: 400,
    field: 'method',
  },
  {
    name: 'upload: url unknown',
    method: 'POST',
    path: '/v1/files',
    body: form({ purpose: 'batch' }, line({ url: '/v1/images' }) + '\n'),
    status: 400,
    field: 'url',
  },
  {
    name: 'upload: body string',
    method: 'POST',
    path: '/v1/files',
    body: form({ purpose: 'batch' }, line({ body: 'x' }) + '\n'),
    status: 400,
    field: 'body',
  },
  {
    name: 'upload: body.model missing',
    method: 'POST',
    path: '/v1/files',
    body: form({ purpose: 'batch' }, line({ body: { messages: msg } }) + '\n'),
    status: 400,
    field: 'body.model',
  },
  {
    name: 'upload: body.stream true',
    method: 'POST',
    path: '/v1/files',
    body: form({ purpose: 'batch' }, line({ body: { model: 'chat', stream: true } }) + '\n'),
    status: 400,
    field: 'body.stream',
  },
  // /v1/batches
  {
    name: 'batch: not JSON',
    method: 'POST',
    path: '/v1/batches',
    body: '{"x":',
    status: 400,
    field: 'JSON',
  },
  {
    name: 'batch: too deep',
    method: 'POST',
    path: '/v1/batches',
    body: deep(5000),
    status: 400,
    field: 'body',
  },
  {
    name: 'batch: input_file_id missing',
    method: 'POST',
    path: '/v1/batches',
    body: { ...batchBody, input_file_id: undefined },
    status: 400,
    field: 'input_file_id',
  },
  {
    name: 'batch: input_file_id number',
    method: 'POST',
    path: '/v1/batches',
    body: { ...batchBody, input_file_id: 5 },
    status: 400,
    field: 'input_file_id',
  },
  {
    name: 'batch: unknown file',
    method: 'POST',
    path: '/v1/batches',
    body: { ...batchBody, input_file_id: 'file-nope' },
    status: 400,
    field: 'input_file_id',
  },
  {
    name: 'batch: endpoint unknown',
    method: 'POST',
    path: '/v1/batches',
    body: { ...batchBody, endpoint: '/v1/images' },
    status: 400,
    field: 'endpoint',
  },
  {
    name: 'batch: endpoint of other lines',
    method: 'POST',
    path: '/v1/batches',
    body: { ...batchBody, endpoint: '/v1/embeddings' },
    status: 400,
    field: 'endpoint',
  },
  {
    name: 'batch: window 25x',
    method: 'POST',
    path: '/v1/batches',
    body: { ...batchBody, completion_window: '25x' },
    status: 400,
    field: 'completion_window',
  },
  {
    name: 'batch: window 0h',
    method: 'POST',
    path: '/v1/batches',
    body: { ...batchBody, completion_window: '0h' },
    status: 400,
    field: 'completion_window',
  },
  {
    name: 'batch: window 999h',
    method: 'POST',
    path: '/v1/batches',
    body: { ...batchBody, completion_window: '999h' },
    status: 400,
    field: 'completion_window',
  },
  {
    name: 'batch: metadata string',
    method: 'POST',
    path: '/v1/batches',
    body: { ...batchBody, metadata: 'x' },
    status: 400,
    field: 'metadata',
  },
  {
    name: 'batch: metadata value number',
    method: 'POST',
    path: '/v1/batches',
    body: { ...batchBody, metadata: { a: 1 } },
    status: 400,
    field: 'metadata.a',
  },
  {
    name: 'batch: list limit 0',
    method: 'GET',
    path: '/v1/batches?limit=0',
    status: 400,
    field: 'limit',
  },
  {
    name: 'batch: list limit abc',
    method: 'GET',
    path: '/v1/batches?limit=abc',
    status: 400,
    field: 'limit',
  },
  {
    name: 'batch: outside key scope',
    method: 'POST',
    path: '/v1/batches',
    body: { ...batchBody, input_file_id: 'OTHER' },
    status: 403,
    field: 'model',
  },
  // /api/v1/jobs
  {
    name: 'job: unknown field',
    method: 'POST',
    path: '/api/v1/jobs',
    body: { ...jobBody, colour: 'red' },
    status: 400,
    field: 'colour',
  },
  {
    name: 'job: body missing',
    method: 'POST',
    path: '/api/v1/jobs',
    body: { route: 'chat' },
    status: 400,
    field: 'body',
  },
  {
    name: 'job: body array',
    method: 'POST',
    path: '/api/v1/jobs',
    body: { route: 'chat', body: [] },
    status: 400,
    field: 'body',
  },
  {
    name: 'job: body.stream',
    method: 'POST',
    path: '/api/v1/jobs',
    body: { route: 'chat', body: { messages: msg, stream: true } },
    status: 400,
    field: 'body.stream',
  },
  {
    name: 'job: endpoint unknown',
    method: 'POST',
    path: '/api/v1/jobs',
    body: { ...jobBody, endpoint: '/v1/images' },
    status: 400,
    field: 'endpoint',
  },
  {
    name: 'job: route number',
    method: 'POST',
    path: '/api/v1/jobs',
    body: { route: 5, body: { messages: msg } },
    status: 400,
    field: 'route',
  },
  {
    name: 'job: route unknown',
    method: 'POST',
    path: '/api/v1/jobs',
    body: { route: 'nope', body: { messages: msg } },
    status: 404,
    field: 'route',
  },
  {
    name: 'job: route outside key scope',
    method: 'POST',
    path: '/api/v1/jobs',
    body: { route: 'other', body: { messages: msg } },
    status: 403,
    field: 'model',
  },
  {
    name: 'job: priority urgent',
    method: 'POST',
    path: '/api/v1/jobs',
    body: { ...jobBody, priority: 'urgent' },
    status: 400,
    field: 'priority',
  },
  {
    name: 'job: deadline text',
    method: 'POST',
    path: '/api/v1/jobs',
    body: { ...jobBody, deadline: 'soon' },
    status: 400,
    field: 'deadline',
  },
  {
    name: 'job: deadline past',
    method: 'POST',
    path: '/api/v1/jobs',
    body: { ...jobBody, deadline: 1 },
    status: 400,
    field: 'deadline',
  },
  {
    name: 'job: webhook ftp',
    method: 'POST',
    path: '/api/v1/jobs',
    body: { ...jobBody, webhook_url: 'ftp://x.example.com/' },
    status: 400,
    field: 'webhook_url',
  },
  {
    name: 'job: webhook mapped loopback',
    method: 'POST',
    path: '/api/v1/jobs',
    body: { ...jobBody, webhook_url: 'http://[::ffff:7f00:1]/h' },
    status: 400,
    field: 'webhook_url',
  },
  {
    name: 'job: webhook metadata',
    method: 'POST',
    path: '/api/v1/jobs',
    body: { ...jobBody, webhook_url: 'http://[::ffff:169.254.169.254]/' },
    status: 400,
    field: 'webhook_url',
  },
  {
    name: 'job: webhook credentials',
    method: 'POST',
    path: '/api/v1/jobs',
    body: { ...jobBody, webhook_url: 'https://u:p@x.example.com/' },
    status: 400,
    field: 'webhook_url',
  },
  {
    name: 'job: Idempotency-Key too long',
    method: 'POST',
    path: '/api/v1/jobs',
    body: jobBody,
    headers: { 'idempotency-key': 'k'.repeat(300) },
    status: 400,
    field: 'Idempotency-Key',
  },
  {
    name: 'job: too deep',
    method: 'POST',
    path: '/api/v1/jobs',
    body: deep(5000),
    status: 400,
    field: 'body',
  },
  {
    name: 'dead letters: model missing',
    method: 'GET',
    path: '/api/v1/dead-letter',
    status: 400,
    field: 'model',
  },
];

const YAML = { 'content-type': 'application/yaml' };

const API_CASES: Case[] = [
  {
    name: 'keys: malformed JSON',
    method: 'POST',
    path: '/api/v1/keys',
    body: '{"name":',
    status: 400,
    field: 'JSON',
  },
  {
    name: 'keys: JSON 5,000 deep',
    method: 'POST',
    path: '/api/v1/keys',
    body: deep(5000),
    status: 400,
    field: 'body',
  },
  {
    name: 'keys: JSON 65 deep',
    method: 'POST',
    path: '/api/v1/keys',
    body: deep(65),
    status: 400,
    field: 'body',
  },
  {
    name: 'keys: array body',
    method: 'POST',
    path: '/api/v1/keys',
    body: '[]',
    status: 400,
    field: 'body',
  },
  {
    name: 'keys: name missing',
    method: 'POST',
    path: '/api/v1/keys',
    body: {},
    status: 400,
    field: '.name',
  },
  {
    name: 'keys: name uppercase',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 'App' },
    status: 400,
    field: '.name',
  },
  {
    name: 'keys: name too long',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 'a'.repeat(64) },
    status: 400,
    field: '.name',
  },
  {
    name: 'keys: name number',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 5 },
    status: 400,
    field: '.name',
  },
  {
    name: 'keys: tenant bad',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 'a', tenant: 'Team A' },
    status: 400,
    field: '.tenant',
  },
  {
    name: 'keys: role root',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 'a', role: 'root' },
    status: 400,
    field: '.role',
  },
  {
    name: 'keys: routes string',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 'a', routes: 'chat' },
    status: 400,
    field: '.routes',
  },
  {
    name: 'keys: routes empty item',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 'a', routes: [''] },
    status: 400,
    field: '.routes[0]',
  },
  {
    name: 'keys: budget usd negative',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 'a', budget: { usd: -1 } },
    status: 400,
    field: '.budget.usd',
  },
  {
    name: 'keys: budget usd string',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 'a', budget: { usd: '5' } },
    status: 400,
    field: '.budget.usd',
  },
  {
    name: 'keys: budget period week',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 'a', budget: { usd: 5, period: 'week' } },
    status: 400,
    field: '.budget.period',
  },
  {
    name: 'keys: budget unknown field',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 'a', budget: { usd: 5, cap: 1 } },
    status: 400,
    field: '.budget.cap',
  },
  {
    name: 'keys: rpm 0',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 'a', rpm: 0 },
    status: 400,
    field: '.rpm',
  },
  {
    name: 'keys: rpm 1.5',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 'a', rpm: 1.5 },
    status: 400,
    field: '.rpm',
  },
  {
    name: 'keys: rpm string',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 'a', rpm: 'ten' },
    status: 400,
    field: '.rpm',
  },
  {
    name: 'keys: tpm -1',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 'a', tpm: -1 },
    status: 400,
    field: '.tpm',
  },
  {
    name: 'keys: unknown field',
    method: 'POST',
    path: '/api/v1/keys',
    body: { name: 'a', colour: 'red' },
    status: 400,
    field: '.colour',
  },
  {
    name: 'keys: no key',
    method: 'GET',
    path: '/api/v1/keys',
    key: null,
    status: 401,
    field: 'Authorization',
  },
  {
    name: 'keys: unknown key',
    method: 'GET',
    path: '/api/v1/keys',
    key: 'bsc-unknownunknownunknown',
    status: 401,
    field: 'API key',
  },
  {
    name: 'apply: empty',
    method: 'POST',
    path: '/api/v1/apply',
    body: '',
    headers: YAML,
    status: 400,
    field: 'manifests',
  },
  {
    name: 'apply: bad YAML',
    method: 'POST',
    path: '/api/v1/apply',
    body: 'kind: [',
    headers: YAML,
    status: 422,
    field: 'body',
  },
  {
    name: 'apply: JSON 5,000 deep',
    method: 'POST',
    path: '/api/v1/apply',
    body: deep(5000),
    status: 400,
    field: 'body',
  },
  {
    name: 'apply: flow YAML 5,000 deep',
    method: 'POST',
    path: '/api/v1/apply',
    body: 'a: ' + '['.repeat(5000) + ']'.repeat(5000),
    headers: YAML,
    status: 400,
    field: 'body',
  },
  {
    name: 'apply: bad gpus',
    method: 'POST',
    path: '/api/v1/apply',
    body: 'apiVersion: bascule.dev/v1alpha1\nkind: Model\nmetadata:\n  name: m\nspec:\n  source: hf://org/m\n  engine: vllm\n  gpus: l4\n',
    headers: YAML,
    status: 422,
    field: '.spec.gpus',
  },
  {
    name: 'apply: Secret',
    method: 'POST',
    path: '/api/v1/apply',
    body: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n',
    headers: YAML,
    status: 422,
    field: '.kind',
  },
  {
    name: 'apply: dryRun maybe',
    method: 'POST',
    path: '/api/v1/apply?dryRun=maybe',
    body: 'x: 1',
    headers: YAML,
    status: 400,
    field: '?dryRun',
  },
  {
    name: 'apply: namespace bad',
    method: 'POST',
    path: '/api/v1/apply?namespace=Bad_NS',
    body: 'x: 1',
    headers: YAML,
    status: 400,
    field: '?namespace',
  },
  {
    name: 'models: unknown query',
    method: 'GET',
    path: '/api/v1/models?colour=red',
    status: 400,
    field: '?colour',
  },
  {
    name: 'models: bad name',
    method: 'GET',
    path: '/api/v1/models/Bad_Name',
    status: 400,
    field: 'name',
  },
  {
    name: 'routes: bad namespace',
    method: 'GET',
    path: '/api/v1/routes?namespace=-x',
    status: 400,
    field: '?namespace',
  },
  {
    name: 'usage: by team',
    method: 'GET',
    path: '/api/v1/usage?by=team',
    status: 400,
    field: '?by',
  },
  {
    name: 'usage: from not a day',
    method: 'GET',
    path: '/api/v1/usage?from=yesterday',
    status: 400,
    field: '?from',
  },
  {
    name: 'usage: unknown query',
    method: 'GET',
    path: '/api/v1/usage?colour=red',
    status: 400,
    field: '?colour',
  },
  {
    name: 'dashboard series: minutes past a day',
    method: 'GET',
    path: '/api/v1/dashboard/series?minutes=1441',
    status: 400,
    field: '?minutes',
  },
  {
    name: 'dashboard series: unknown scope',
    method: 'GET',
    path: '/api/v1/dashboard/series?scopes=tenant:a',
    status: 400,
    field: '?scopes',
  },
  {
    name: 'explain: neither prompt nor messages',
    method: 'POST',
    path: '/api/v1/routes/chat/explain',
    body: {},
    status: 400,
    field: '.prompt',
  },
  {
    name: 'explain: kind images',
    method: 'POST',
    path: '/api/v1/routes/chat/explain',
    body: { prompt: 'x', kind: 'images' },
    status: 400,
    field: '.kind',
  },
  {
    name: 'explain: privacy max',
    method: 'POST',
    path: '/api/v1/routes/chat/explain',
    body: { prompt: 'x', privacy: 'max' },
    status: 400,
    field: '.privacy',
  },
  {
    name: 'explain: max_tokens 0',
    method: 'POST',
    path: '/api/v1/routes/chat/explain',
    body: { prompt: 'x', max_tokens: 0 },
    status: 400,
    field: '.max_tokens',
  },
  {
    name: 'feedback: requestId bad',
    method: 'POST',
    path: '/api/v1/feedback',
    body: { requestId: 'a b', grade: 'good' },
    status: 400,
    field: '.requestId',
  },
  {
    name: 'feedback: grade 2',
    method: 'POST',
    path: '/api/v1/feedback',
    body: { requestId: 'req_1', grade: 2 },
    status: 400,
    field: '.grade',
  },
  {
    name: 'feedback: unknown field',
    method: 'POST',
    path: '/api/v1/feedback',
    body: { requestId: 'req_1', grade: 'good', why: 'x' },
    status: 400,
    field: '.why',
  },
  {
    name: 'rollback: to -1',
    method: 'POST',
    path: '/api/v1/routes/chat/rollback',
    body: { to: -1 },
    status: 400,
    field: '.to',
  },
];

describe('bad input: gateway and Batch API', () => {
  let redisServer: RunningRedisServer;
  let redis: Redis;
  let engine: RunningEngine;
  let stack: QueueStack;
  let key: string;
  const fileIds: Record<string, string> = {};

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = createRedisClient(redisServer.url);
    key = (await createRedisKeyStore(redis).create({ name: 'bad', routes: ['chat', 'small'] })).key;
    engine = await startEngine({ served: 'small' });
    const auth = createKeyAuthenticator({ redis, adminKey: ADMIN });
    stack = await startQueueStack({
      redis: redisServer,
      models: [modelResource('small', { servedNames: ['small'] })],
      routes: [
        routeResource('chat', { targets: [{ model: 'small' }] }),
        routeResource('other', { targets: [{ model: 'small' }] }),
      ],
      endpoints: { small: [engine] },
      handler: {
        authenticate: queueAuthenticate(auth),
        admit: queueAdmit(auth),
        webhooks: {},
      },
      gateway: { authenticate: auth.authenticate, onUsage: auth.settle },
    });
    for (const [name, model] of [
      ['FILE', 'chat'],
      ['OTHER', 'other'],
    ] as const) {
      const r = await send(
        stack.url,
        {
          name,
          method: 'POST',
          path: '/v1/files',
          body: form({ purpose: 'batch' }, batchLines(1, model)),
          status: 200,
          field: '',
        },
        key,
      );
      expect(r.status).toBe(200);
      fileIds[name] = ((await r.json()) as { id: string }).id;
    }
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await engine?.close();
    redis?.disconnect();
    await redisServer?.stop();
  });

  it(`has at least 60 gateway and 30 batch cases`, () => {
    expect(GATEWAY_CASES.length).toBeGreaterThanOrEqual(60);
    expect(BATCH_CASES().length).toBeGreaterThanOrEqual(30);
  });

  it.each(GATEWAY_CASES.map((c) => [c.name, c] as const))('gateway: %s', async (_n, c) => {
    await expectNamed(await send(stack.url, c, key), c);
  });

  it.each(BATCH_CASES().map((c) => [c.name] as const))('batch: %s', async (name) => {
    const c = BATCH_CASES().find((x) => x.name === name)!;
    if (c.body && typeof c.body === 'object' && !(c.body instanceof FormData)) {
      const b = c.body as Record<string, unknown>;
      if (typeof b.input_file_id === 'string' && fileIds[b.input_file_id])
        c.body = { ...b, input_file_id: fileIds[b.input_file_id] };
    }
    await expectNamed(await send(stack.url, c, key), c);
  });

  it('echoes an unknown 10 KB model name cut to 64 characters', async () => {
    const r = await send(
      stack.url,
      { ...GATEWAY_CASES.find((c) => c.name === 'model 10 KB')!, status: 404 },
      key,
    );
    const text = await r.text();
    expect(text.length).toBeLessThan(600);
    expect(text).toContain(`'${'x'.repeat(64)}…'`);
  });
});

describe.skipIf(!hasKubectl)('bad input: control API', () => {
  let stack: ApiStack;

  beforeAll(async () => {
    stack = await startApiStack('l4:1x1');
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('has at least 40 cases', () => {
    expect(API_CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(API_CASES.map((c) => [c.name, c] as const))('api: %s', async (_n, c) => {
    await expectNamed(await send(stack.api.url, c, ADMIN), c);
  });
});
