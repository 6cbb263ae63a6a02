import { describe, expect, it } from 'vitest';
import type { CallContext } from '../core/provider-adapter.js';
import { UpstreamTimeoutError, type HttpClient } from '../http/http-client.js';
import { transportError } from './send-request.js';

const http: HttpClient = {
  send: () => Promise.reject(new Error('unused')),
  close: () => Promise.resolve(),
};
const ctx = (signal?: AbortSignal): CallContext => ({
  provider: { name: 'p', type: 'openai', apiKey: 'sk-secret-abcdef' },
  model: 'm',
  http,
  signal,
  timeoutMs: 100,
});

describe('transportError', () => {
  it.each([
    [
      'a reset',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      502,
      true,
      'upstream_connection_error',
    ],
    [
      'an undici socket error',
      Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
      502,
      true,
      'upstream_connection_error',
    ],
    ['our timeout', new UpstreamTimeoutError(100), 504, true, 'upstream_timeout'],
    [
      'a bug of ours',
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      500,
      false,
      'internal_error',
    ],
  ])('%s', (_n, err, status, retryable, code) => {
    expect(transportError(err, ctx())).toMatchObject({ status, retryable, code });
  });
  it('reports a client abort as 499 whatever the error', () => {
    const ac = new AbortController();
    ac.abort();
    expect(transportError(new Error('aborted'), ctx(ac.signal))).toMatchObject({
      status: 499,
      retryable: false,
    });
  });
});
