/**
 * The texts of a request that privacy detection scans: every message's content (system prompt,
 * user and assistant turns, tool results), tool-call and function-call arguments, and a
 * completion's prompt or an embedding's input. Tool definitions (the application's own schema)
 * and token-id arrays are not scanned.
 *
 * `edit` sees each text and returns a replacement or undefined; the body is copied only along
 * the paths that changed (scanning allocates nothing).
 */
export function mapRequestTexts<T>(body: T, edit: (text: string) => string | undefined): T {
  const b = body as Record<string, unknown>;
  let out: Record<string, unknown> = b;
  const set = (k: string, v: unknown) => {
    if (v === b[k]) return;
    if (out === b) out = { ...b };
    out[k] = v;
  };
  if (Array.isArray(b.messages))
    set(
      'messages',
      mapArray(b.messages, (m) => mapMessage(m, edit)),
    );
  for (const k of ['prompt', 'input']) if (k in b) set(k, mapStrings(b[k], edit));
  return out as T;
}

function mapMessage(m: unknown, edit: (text: string) => string | undefined): unknown {
  if (typeof m !== 'object' || m === null) return m;
  const msg = m as Record<string, unknown>;
  let out = msg;
  const set = (k: string, v: unknown) => {
    if (v === msg[k]) return;
    if (out === msg) out = { ...msg };
    out[k] = v;
  };
  const c = msg.content;
  if (typeof c === 'string') set('content', edit(c) ?? c);
  else if (Array.isArray(c))
    set(
      'content',
      mapArray(c, (p) => {
        const part = p as { type?: unknown; text?: unknown } | null;
        if (part?.type !== 'text' || typeof part.text !== 'string') return p;
        const t = edit(part.text);
        return t === undefined ? p : { ...part, text: t };
      }),
    );
  if (Array.isArray(msg.tool_calls))
    set(
      'tool_calls',
      mapArray(msg.tool_calls, (call) => {
        const tc = call as { function?: unknown } | null;
        const f = mapArguments(tc?.function, edit);
        return f === tc?.function ? call : { ...tc, function: f };
      }),
    );
  if (msg.function_call) set('function_call', mapArguments(msg.function_call, edit));
  return out;
}

function mapArguments(f: unknown, edit: (text: string) => string | undefined): unknown {
  const fn = f as { arguments?: unknown } | null | undefined;
  if (typeof fn?.arguments !== 'string') return f;
  const t = edit(fn.arguments);
  return t === undefined ? f : { ...fn, arguments: t };
}

function mapStrings(x: unknown, edit: (text: string) => string | undefined): unknown {
  if (typeof x === 'string') return edit(x) ?? x;
  if (Array.isArray(x)) return mapArray(x, (v) => (typeof v === 'string' ? (edit(v) ?? v) : v));
  return x;
}

/** The same array when no element changed, else a copy with the changes. */
function mapArray(xs: readonly unknown[], f: (x: unknown) => unknown): unknown[] {
  let out: unknown[] | undefined;
  xs.forEach((x, i) => {
    const y = f(x);
    if (y !== x) (out ??= [...xs])[i] = y;
  });
  return out ?? (xs as unknown[]);
}
