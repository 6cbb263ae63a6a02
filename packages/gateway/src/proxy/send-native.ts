import type { AnthropicCallOptions, ProviderClient, ResolvedProvider } from '@bascule/providers';
import { tokenCounts } from './extract-usage.js';
import { overheadNow, type Answer, type RequestState } from './request-state.js';
import { commitSse, writeChunk } from './response-writer.js';

/**
 * Sends a dialect's request untranslated to a Provider of that dialect (Anthropic Messages to
 * an Anthropic Provider): returns its JSON answer as it came, or relays its SSE events. Errors
 * before the first byte are thrown for sendToProvider to handle like any provider failure.
 */
export async function sendNative(
  s: RequestState,
  client: ProviderClient,
  provider: ResolvedProvider,
  model: string,
  body: Record<string, unknown>,
  h: { target: string; reason: string },
  opts: AnthropicCallOptions,
): Promise<Answer | undefined> {
  const tStart = performance.now();
  const result = await client.anthropicMessages(provider, model, body, opts);
  s.externalMs += performance.now() - tStart;
  if (!result.stream)
    return {
      kind: 'answer',
      status: 200,
      text: JSON.stringify(result.response),
      usage: tokenCounts(result.usage),
      render: false,
      keep: false,
    };
  s.status = 200;
  s.committed = true;
  s.overheadMs = overheadNow(s);
  s.ttftMs = performance.now() - s.t0;
  commitSse(s.res, { ...h, overheadMs: s.overheadMs });
  try {
    for await (const e of result.chunks)
      await writeChunk(s.res, `${e.event ? `event: ${e.event}\n` : ''}data: ${e.data}\n\n`);
    s.res.end();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (!s.signal.aborted && !s.res.writableEnded && s.dialect)
      s.res.end(s.dialect.stream().fail(`${h.target} failed mid-stream: ${why}`));
  }
  const u = tokenCounts(await result.usage.catch(() => undefined));
  if (u) s.usage = u;
  return undefined;
}
