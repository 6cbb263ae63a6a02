import { chatCompletionRequestSchema } from '@bascule/providers';
import { describe, expect, it } from 'vitest';
import { acceptsChatFast } from './fast-accept.js';
import { parseRequest } from './parse-request.js';

const base = { model: 'chat', messages: [{ role: 'user', content: 'hi' }] };

/** Values a field may take in the table, valid and not. */
const VALUES: unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  1,
  -1,
  0.5,
  1.5,
  2,
  2.5,
  3,
  128,
  129,
  1e300,
  'x',
  '',
  [],
  ['a'],
  ['a', 'b', 'c', 'd', 'e'],
  {},
  { include_usage: true },
  { include_usage: 'yes' },
  { include_usage: true, other: 1 },
  { type: 'text' },
  [{ type: 'function' }],
];
const FIELDS = [
  'model',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'n',
  'seed',
  'user',
  'stop',
  'presence_penalty',
  'logprobs',
  'tools',
  'tool_choice',
  'response_format',
  'logit_bias',
  'x_custom',
];
const MESSAGES: unknown[] = [
  [],
  [{ role: 'user', content: 'hi' }],
  [
    { role: 'system', content: 's' },
    { role: 'user', content: 'u' },
  ],
  [{ role: 'assistant', content: 'a' }],
  [{ role: 'assistant', content: null }],
  [{ role: 'tool', content: 'r' }],
  [{ role: 'tool', content: 'r', tool_call_id: 'c' }],
  [{ role: 'user', content: [{ type: 'text', text: 't' }] }],
  [{ role: 'user' }],
  [{ role: 'user', content: 'x', name: 'n' }],
  [{ role: 'user', content: 'x', name: 3 }],
  [{ role: 'robot', content: 'x' }],
  [{ role: 'user', content: 'x', extra: true }],
  ['hi'],
  [null],
];

describe('acceptsChatFast: the schema agrees with every body it accepts', () => {
  it('accepts the common request shapes (so they skip the schema)', () => {
    expect(acceptsChatFast(base)).toBe(true);
    expect(
      acceptsChatFast({
        ...base,
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 16,
        temperature: 0.7,
        top_p: 1,
        seed: 3,
        user: 'u',
        x_custom: { a: 1 },
      }),
    ).toBe(true);
  });

  it('field by field, and message by message: fast accept implies the schema accepts', () => {
    let fast = 0;
    let checked = 0;
    const cases: object[] = [];
    for (const f of FIELDS) for (const v of VALUES) cases.push({ ...base, [f]: v });
    for (const m of MESSAGES) cases.push({ ...base, messages: m });
    cases.push({ messages: base.messages }, { model: 'chat' });
    for (const body of cases) {
      checked++;
      if (!acceptsChatFast(body)) continue;
      fast++;
      const r = chatCompletionRequestSchema.safeParse(body);
      expect(r.success, JSON.stringify(body)).toBe(true);
    }
    expect(checked).toBeGreaterThan(400);
    // The table holds bodies both ways: many take the fast path, many do not.
    expect(fast).toBeGreaterThan(50);
    expect(checked - fast).toBeGreaterThan(100);
  });

  it("keys named like Object's own methods are plain unknown fields", () => {
    for (const k of ['hasOwnProperty', 'valueOf', 'toString', 'constructor', '__proto__']) {
      const body = JSON.parse(
        `{"model":"m","messages":[{"role":"user","content":"hi"}],"${k}":1}`,
      ) as object;
      expect(acceptsChatFast(body), k).toBe(true);
      expect(chatCompletionRequestSchema.safeParse(body).success, k).toBe(true);
    }
  });

  it('a body the fast path declines still gets the schema error naming the field', () => {
    expect(() => parseRequest('chat', JSON.stringify({ ...base, temperature: 3 }))).toThrow(
      /temperature/,
    );
    expect(() =>
      parseRequest('chat', JSON.stringify({ ...base, messages: [{ role: 'tool', content: 'x' }] })),
    ).toThrow(/tool_call_id/);
  });
});
