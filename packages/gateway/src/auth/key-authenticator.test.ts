import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import { toErrorResponse } from '../errors/to-error-response.js';
import { createKeyAuthenticator } from './key-authenticator.js';

// A real ioredis client pointed at a port nothing listens on: what the gateway sees while Redis
// is down or restarting.
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const request = (key: string) =>
  ({ headers: { authorization: `Bearer ${key}` } }) as unknown as IncomingMessage;

describe('key authenticator while the key store (Redis) is unreachable', () => {
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(`redis://127.0.0.1:${await closedPort()}`, {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
  });
  afterAll(() => redis.disconnect());

  it('refuses an issued key with a retryable 503 naming the key store, not an anonymous 500', async () => {
    const auth = createKeyAuthenticator({ redis, adminKey: 'bsc-bootstrap-admin-0000000000' });
    const err = await auth.authenticate(request('bsc-some-issued-key-000000000000')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GatewayError);
    const res = toErrorResponse(err);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('key_store_unavailable');
    expect(res.body.error.message).toMatch(/key store \(Redis\) is unavailable/);
    expect(res.headers['retry-after']).toBe('5');
    await expect(auth.verify('Bearer bsc-some-issued-key-000000000000')).rejects.toMatchObject({
      status: 503,
      code: 'key_store_unavailable',
    });
  });

  it('still admits the bootstrap admin key, which never needs Redis', async () => {
    const auth = createKeyAuthenticator({ redis, adminKey: 'bsc-bootstrap-admin-0000000000' });
    await expect(
      auth.authenticate(request('bsc-bootstrap-admin-0000000000')),
    ).resolves.toMatchObject({ role: 'admin', keyId: 'bootstrap-admin' });
  });
});
