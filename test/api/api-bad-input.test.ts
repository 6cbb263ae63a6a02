import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl } from '../controller/support/controller-harness.js';
import { startApiStack, type ApiStack, ADMIN } from './support/api-stack.js';

describe.skipIf(!hasKubectl)('control API on kube-sim: bad input', () => {
  let stack: ApiStack;
  let dir: string;
  const bascule = (args: string[], token?: string) => stack.bascule(args, token);
  const call: ApiStack['call'] = (...args) => stack.call(...args);

  beforeAll(async () => {
    stack = await startApiStack();
    ({ dir } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it.each([
    ['malformed JSON', 'POST', '/api/v1/keys', '{"name":', 400, 'invalid_json', undefined],
    ['wrong type', 'POST', '/api/v1/keys', { name: 'x', rpm: 'ten' }, 400, 'invalid_field', '.rpm'],
    [
      'unknown field',
      'POST',
      '/api/v1/keys',
      { name: 'x', colour: 'red' },
      400,
      'unknown_field',
      '.colour',
    ],
    [
      'bad role',
      'POST',
      '/api/v1/keys',
      { name: 'x', role: 'root' },
      400,
      'invalid_field',
      '.role',
    ],
    [
      'oversize body',
      'POST',
      '/api/v1/keys',
      { name: 'x'.repeat(2 * 1024 * 1024) },
      413,
      'body_too_large',
      undefined,
    ],
    [
      'bad manifest',
      'POST',
      '/api/v1/apply',
      'apiVersion: bascule.dev/v1alpha1\nkind: Model\nmetadata:\n  name: m\nspec:\n  gpus: l4\n',
      422,
      'invalid_manifest',
      undefined,
    ],
    ['bad YAML', 'POST', '/api/v1/apply', 'kind: [', 422, 'invalid_manifest', undefined],
    ['empty apply', 'POST', '/api/v1/apply', '', 400, 'empty_body', undefined],
    [
      'foreign kind',
      'POST',
      '/api/v1/apply',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n',
      422,
      'invalid_manifest',
      '.kind',
    ],
    ['bad dryRun', 'POST', '/api/v1/apply?dryRun=maybe', 'x: 1', 400, 'invalid_query', '?dryRun'],
    [
      'unknown query',
      'GET',
      '/api/v1/models?colour=red',
      undefined,
      400,
      'unknown_query_parameter',
      '?colour',
    ],
    [
      'bad namespace',
      'GET',
      '/api/v1/models?namespace=Not_A_Label',
      undefined,
      400,
      'invalid_query',
      '?namespace',
    ],
    ['bad name', 'GET', '/api/v1/models/Bad_Name', undefined, 400, 'invalid_name', 'name'],
    ['unknown model', 'GET', '/api/v1/models/nope/status', undefined, 404, 'not_found', undefined],
    [
      'explain without prompt',
      'POST',
      '/api/v1/routes/chat/explain',
      {},
      400,
      'invalid_field',
      '.prompt',
    ],
    [
      'explain wrong kind',
      'POST',
      '/api/v1/routes/chat/explain',
      { prompt: 'x', kind: 'image' },
      400,
      'invalid_field',
      '.kind',
    ],
    [
      'usage bad date',
      'GET',
      '/api/v1/usage?from=yesterday',
      undefined,
      400,
      'invalid_query',
      undefined,
    ],
    [
      'usage bad dimension',
      'GET',
      '/api/v1/usage?by=colour',
      undefined,
      400,
      'invalid_query',
      undefined,
    ],
    ['revoke unknown key', 'DELETE', '/api/v1/keys/nope', undefined, 404, 'not_found', undefined],
    ['unknown route', 'GET', '/api/v1/frobnicate', undefined, 404, 'not_found', undefined],
  ] as const)('bad input: %s -> %i %s', async (_what, method, path, body, status, code, field) => {
    const res = await call(
      method,
      path,
      body,
      ADMIN,
      path.includes('apply') ? 'application/yaml' : 'application/json',
    );
    expect(res.status).toBe(status);
    const e = (
      (await res.json()) as {
        error: { code: string; message: string; path?: string; requestId: string };
      }
    ).error;
    expect(e.code).toBe(code);
    expect(e.message.length).toBeGreaterThan(5);
    expect(e.message).not.toMatch(/\n\s+at /);
    expect(e.requestId).toBe(res.headers.get('x-request-id'));
    if (field) expect(e.path).toBe(field);
  });

  it.each([
    [['get'], 2, 'name a resource type'],
    [['get', 'pods'], 2, 'unknown resource type "pods"'],
    [['get', 'models', '-o', 'xml'], 2, 'unknown output format "xml"'],
    [['apply'], 2, 'flag -f is required'],
    [['describe', 'pod', 'x'], 2, 'unknown resource type "pod"'],
    [['describe', 'route'], 2, 'name the route to describe'],
    [['keys', 'frob'], 2, 'unknown keys command "frob"'],
    [['keys', 'create', 'x', '--rpm', 'lots'], 2, '--rpm must be a positive number'],
    [['usage', '--from', 'monday'], 2, '--from must be a date'],
    [['route', 'explain', 'chat'], 2, '--prompt TEXT is required'],
    [['login', '--server', 'ftp://x'], 2, '--server URL'],
    [['completion', 'fish'], 2, 'bash or zsh'],
    [['delete', 'model'], 2, 'name the model to delete'],
    [['keys', 'create', 'Bad Name'], 1, 'must be a lowercase DNS-style name'],
    [['get', 'model', 'nope'], 1, 'not found'],
  ])('bad command line: bascule %j -> exit %i', async (args, code, message) => {
    const r = await bascule(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
  });

  it('bad YAML through bascule apply names file:line:col', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'apiVersion: bascule.dev/v1alpha1\nkind: Model\nmetadata:\n  name: m\nspec:\n  gpus: l4\n',
    );
    const r = await bascule(['apply', '-f', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:6:9: Model/m .spec.gpus: must be`);
    expect(r.stderr).toContain(`${bad}:5:1: Model/m .spec.engine: required field is missing`);
  });
});
