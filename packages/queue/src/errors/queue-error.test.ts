import { describe, expect, it } from 'vitest';
import { QueueError, toErrorBody } from './queue-error.js';

describe('toErrorBody', () => {
  it('carries a QueueError’s headers (retry-after of a 503 key store outage) to the response', () => {
    const r = toErrorBody(
      new QueueError({
        status: 503,
        code: 'key_store_unavailable',
        message: 'the key store (Redis) is unavailable',
        headers: { 'retry-after': '5' },
      }),
    );
    expect(r.status).toBe(503);
    expect(r.headers).toEqual({ 'retry-after': '5' });
    expect(JSON.parse(r.body)).toMatchObject({
      error: { code: 'key_store_unavailable', type: 'server_error' },
    });
  });

  it('keeps other errors an anonymous 500 without headers', () => {
    const bug = toErrorBody(new TypeError('x is undefined'));
    expect(bug.status).toBe(500);
    expect(bug.headers).toBeUndefined();
    expect(JSON.parse(bug.body)).toMatchObject({ error: { code: 'internal' } });
    expect(toErrorBody(QueueError.notFound('batch', 'b1')).headers).toBeUndefined();
  });
});
