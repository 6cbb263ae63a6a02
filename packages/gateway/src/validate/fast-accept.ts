/**
 * The common chat request — text messages and plain sampling fields — recognised without zod:
 * `acceptsChatFast(body)` true means chatCompletionRequestSchema accepts the body as it is (a
 * table test holds the two together). Anything else — tools, images, stop lists, a bad value —
 * answers false and goes through the schema, which names the field of any problem.
 */

import { chatCompletionRequestSchema } from '@bascule/providers';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

/** Schema fields the fast path checks itself; any other field the schema names sends it to zod. */
const CHECKS: Record<string, (v: unknown) => boolean> = {
  model: (v) => typeof v === 'string' && v.length > 0,
  messages: (v) => Array.isArray(v) && v.length > 0 && v.every(textMessage),
  stream: nullableBoolean,
  stream_options: (v) =>
    v === null ||
    (isObject(v) &&
      Object.keys(v).every((k) => k === 'include_usage') &&
      ((v as { include_usage?: unknown }).include_usage === undefined ||
        typeof (v as { include_usage?: unknown }).include_usage === 'boolean')),
  max_tokens: (v) => v === null || (Number.isSafeInteger(v) && (v as number) > 0),
  max_completion_tokens: (v) => v === null || (Number.isSafeInteger(v) && (v as number) > 0),
  temperature: (v) => v === null || inRange(v, 0, 2),
  top_p: (v) => v === null || inRange(v, 0, 1),
  n: (v) => v === null || (Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 128),
  seed: (v) => v === null || Number.isSafeInteger(v),
  user: (v) => typeof v === 'string',
};

/**
 * Every top-level field the schema declares, read from it: a field added to the schema later
 * sends bodies that carry it through zod until a check here covers it.
 */
const SCHEMA_FIELDS = new Set(Object.keys(chatCompletionRequestSchema.shape));

export function acceptsChatFast(body: object): boolean {
  if (typeof (body as { model?: unknown }).model !== 'string') return false;
  if ((body as { messages?: unknown }).messages === undefined) return false;
  for (const k in body) {
    const v = (body as Record<string, unknown>)[k];
    // own properties only: a body key such as "hasOwnProperty" must not find Object's method
    const check = Object.hasOwn(CHECKS, k) ? CHECKS[k] : undefined;
    if (check) {
      if (v !== undefined && !check(v)) return false;
    } else if (SCHEMA_FIELDS.has(k) && v !== undefined) return false;
  }
  return true;
}

/** A message with a role, string content and perhaps a name, nothing else. */
function textMessage(m: unknown): boolean {
  if (!isObject(m)) return false;
  let role = false;
  let content = false;
  for (const k in m) {
    const v = (m as Record<string, unknown>)[k];
    if (k === 'role') role = typeof v === 'string' && ROLES.has(v);
    else if (k === 'content') content = typeof v === 'string';
    else if (k === 'name') {
      if (v !== undefined && typeof v !== 'string') return false;
    } else return false;
  }
  return role && content && (m as { role: string }).role !== 'tool';
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nullableBoolean(v: unknown): boolean {
  return v === null || typeof v === 'boolean';
}

function inRange(v: unknown, lo: number, hi: number): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi;
}
