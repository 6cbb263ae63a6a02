import type { AnthropicCallOptions, ProviderClient, ResolvedProvider } from '@bascule/providers';
import { overheadNow, type RequestState } from './request-state.js';
import { commitSse, writeChunk, writeJsonText } from './response-writer.js';

/**
 * Sends a dialect's request untranslated to a Provider of that dialect (Anthropic Messages to
 * an Anthropic Provider) and relays its answer as it came: JSON, or its SSE events. Errors
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
): Promise<void> {
  const tStart = performance.now();
  const result = await client.anthropicMessages(provider, model, body, opts);
  s.externalMs += performance.now() - tStart;
  s.status = 200;
  s.committed = true;
  s.overheadMs = overheadNow(s);
  if (!result.stream) {
    if (result.usage)
      s.usage = {
        promptTokens: result.usage.prompt_tokens,
        completionTokens: result.usage.completion_tokens,
      };
    writeJsonText(s.res, 200, JSON.stringify(result.response), { ...h, overheadMs: s.overheadMs });
    return;
  }
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
  const u = await result.usage.catch(() => undefined);
  if (u) s.usage = { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens };
}
