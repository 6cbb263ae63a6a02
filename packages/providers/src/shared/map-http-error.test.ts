import { describe, expect, it } from 'vitest';
import { mapHttpError } from './map-http-error.js';
import { parseRetryAfter } from './parse-retry-after.js';

const headers = (h: Record<string, string>) => (name: string) => h[name];

// Error bodies: OpenAI https://platform.openai.com/docs/guides/error-codes, Anthropic
// https://docs.anthropic.com/en/api/errors, Gemini https://ai.google.dev/gemini-api/docs/troubleshooting
describe('mapHttpError', () => {
  it.each([
    [
      'openai 400',
      400,
      '{"error":{"message":"Invalid value for temperature","type":"invalid_request_error","param":"temperature","code":null}}',
      400,
      false,
      'Invalid value for temperature',
    ],
    [
      'anthropic 529',
      529,
      '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
      503,
      true,
      'Overloaded',
    ],
    [
      'gemini 500',
      500,
      '{"error":{"code":500,"message":"An internal error has occurred.","status":"INTERNAL"}}',
      502,
      true,
      'An internal error has occurred.',
    ],
    [
      'anthropic 401',
      401,
      '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
      502,
      false,
      'invalid x-api-key',
    ],
    ['plain text 503', 503, 'upstream down', 503, true, 'upstream down'],
    [
      'gemini 404',
      404,
      '{"error":{"code":404,"message":"models/x is not found","status":"NOT_FOUND"}}',
      404,
      false,
      'models/x is not found',
    ],
  ])('%s', (_n, status, body, clientStatus, retryable, msg) => {
    const e = mapHttpError({
      provider: 'p',
      status,
      bodyText: body,
      header: headers({}),
      secrets: [],
    });
    expect(e.status).toBe(clientStatus);
    expect(e.retryable).toBe(retryable);
    expect(e.providerStatus).toBe(status);
    expect(e.message).toContain(msg);
  });

  it('makes 429 retryable with the retry-after and redacts the key from the message', () => {
    const e = mapHttpError({
      provider: 'p',
      status: 429,
      bodyText: '{"error":{"message":"Rate limit reached for key sk-secret-123456"}}',
      header: headers({ 'retry-after': '7' }),
      secrets: ['sk-secret-123456'],
    });
    expect(e).toMatchObject({ status: 429, retryable: true, retryAfterMs: 7000 });
    expect(e.message).not.toContain('sk-secret-123456');
    expect(e.message).toContain('[redacted]');
    expect(e.toOpenAIError().error.type).toBe('rate_limit_error');
  });
});

describe('parseRetryAfter', () => {
  it.each([
    [{ 'retry-after-ms': '1500' }, undefined, 1500],
    [{ 'retry-after': '2' }, undefined, 2000],
    [{ 'retry-after': 'Wed, 21 Oct 2015 07:28:10 GMT' }, undefined, 10_000],
    [
      {},
      {
        error: {
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '31s' }],
        },
      },
      31_000,
    ],
    [{}, undefined, undefined],
  ])('%j %j -> %s', (h, body, expected) => {
    expect(parseRetryAfter(headers(h), body, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(
      expected,
    );
  });
});
