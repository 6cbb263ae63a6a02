/**
 * Issue 21: bad input everywhere gets a 4xx whose error names the field, never a 500 or a
 * stack trace. The rows are in ./support/bad-input-*-cases.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApiStack, type ApiStack } from '../api/support/api-stack.js';
import { hasKubectl } from '../controller/support/controller-harness.js';
import { expectNamed, send } from './support/bad-input-case.js';
import { API_CASES } from './support/bad-input-api-cases.js';

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
