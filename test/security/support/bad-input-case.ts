// One row of the bad-input tables (issue 21) and how it is sent and checked.
import { expect } from 'vitest';

/**
 * Issue 21: bad input everywhere gets a 4xx whose error names the field, never a 500 or a
 * stack trace. Each row: a request, the status expected and the field the error must name
 * (as `param`, `path`, or in the message).
 */
export interface Case {
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

export const msg = [{ role: 'user', content: 'hi' }];
export const chat = (over: Record<string, unknown>) => ({ model: 'chat', messages: msg, ...over });
export const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

export async function send(base: string, c: Case, defaultKey: string): Promise<Response> {
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
export async function expectNamed(r: Response, c: Case): Promise<void> {
  const text = await r.text();
  expect({ case: c.name, status: r.status }).toEqual({ case: c.name, status: c.status });
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  const e = (
    JSON.parse(text) as { error: { param?: string | null; path?: string; message: string } }
  ).error;
  const named = [e.param, e.path].includes(c.field) || e.message.includes(c.field);
  expect({ case: c.name, named, error: e }).toMatchObject({ case: c.name, named: true });
}
