import { Validator } from '@seriousme/openapi-schema-validator';
import type { RunningApi } from '@bascule/control-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl } from '../controller/support/controller-harness.js';
import { startApiStack, type ApiStack } from './support/api-stack.js';

describe.skipIf(!hasKubectl)('control API on kube-sim: OpenAPI document', () => {
  let stack: ApiStack;
  let api: RunningApi;
  const call: ApiStack['call'] = (...args) => stack.call(...args);

  beforeAll(async () => {
    stack = await startApiStack();
    ({ api } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('the OpenAPI document validates and every path in it answers', async () => {
    const doc = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        const url = path.replace('{name}', 'nope').replace('{id}', 'key_0000000000000000');
        const res = await call(method.toUpperCase(), url, method === 'post' ? {} : undefined);
        const declared = Object.keys(
          (ops[method] as { responses: Record<string, unknown> }).responses,
        );
        expect(res.status, `${method} ${url}`).toBeLessThan(500);
        expect(
          declared.includes(String(res.status)) || declared.includes('default'),
          `${method} ${path} -> ${res.status}`,
        ).toBe(true);
        expect(res.headers.get('x-request-id')).toBeTruthy();
      }
    }
  });
});
