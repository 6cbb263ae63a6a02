import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { QueueError, isStoreUnavailable, toErrorBody } from './queue-error.js';

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** The error a real ioredis client raises for a command while Redis is down. */
async function redisDownError(options: { maxRetriesPerRequest: number }): Promise<unknown> {
  const redis = new Redis(`redis://127.0.0.1:${await closedPort()}`, options);
  redis.on('error', () => undefined);
  try {
    return await redis.get('mp:job:x').then(
      () => undefined,
      (e: unknown) => e,
    );
  } finally {
    redis.disconnect();
  }
}

describe('toErrorBody', () => {
  it('answers an unreachable Redis with a retryable 503 naming it and a retry-after', async () => {
    for (const err of [
      await redisDownError({ maxRetriesPerRequest: 1 }),
      await redisDownError({ maxRetriesPerRequest: 0 }),
    ]) {
      expect(isStoreUnavailable(err)).toBe(true);
      const r = toErrorBody(err);
      expect(r.status).toBe(503);
      expect(r.headers).toEqual({ 'retry-after': '5' });
      const body = JSON.parse(r.body) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('store_unavailable');
      expect(body.error.message).toMatch(/job store \(Redis\) is unavailable/);
    }
  });

  it('keeps other errors an anonymous 500 and QueueErrors as they are', () => {
    const bug = toErrorBody(new TypeError('x is undefined'));
    expect(bug.status).toBe(500);
    expect(bug.headers).toBeUndefined();
    expect(JSON.parse(bug.body)).toMatchObject({ error: { code: 'internal' } });
    const nf = toErrorBody(QueueError.notFound('batch', 'b1'));
    expect(nf.status).toBe(404);
    const limited = toErrorBody(
      new QueueError({ status: 503, code: 'x', message: 'm', headers: { 'retry-after': '2' } }),
    );
    expect(limited.headers).toEqual({ 'retry-after': '2' });
  });
});
