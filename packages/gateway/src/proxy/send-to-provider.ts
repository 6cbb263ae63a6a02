import { isProviderError, type ProviderClient } from '@bascule/providers';
import type { ProviderTarget } from '@bascule/router';
import type { ProviderResolver } from './provider-resolver.js';
import { overheadNow, type AttemptResult, type RequestState } from './request-state.js';
import { commitSse, writeChunk, writeJsonText, writeSseError } from './response-writer.js';

export interface ProviderDeps {
  client: ProviderClient;
  resolver: ProviderResolver;
}

/**
 * Calls a Provider through packages/providers (which retries before the first byte). A
 * retryable failure (429, 5xx, connection) before anything reached the client may overflow;
 * a client error (4xx) is returned as is; nothing is retried after the first streamed byte.
 */
export async function sendToProvider(
  s: RequestState,
  target: ProviderTarget,
  reason: string,
  deps: ProviderDeps,
): Promise<AttemptResult> {
  const name = target.name;
  const model = target.providerModel.name;
  const tStart = performance.now();
  const opts = { signal: s.signal };
  try {
    const provider = await deps.resolver.resolve(target.provider);
    const p = s.redacted ?? s.parsed;
    if (p.kind === 'embeddings') {
      const r = await deps.client.embeddings(provider, model, { ...p.body, model }, opts);
      s.externalMs += performance.now() - tStart;
      s.usage = { promptTokens: r.usage.prompt_tokens, completionTokens: 0 };
      return finishJson(s, JSON.stringify(r), name, reason);
    }
    const result =
      p.kind === 'chat'
        ? await deps.client.chat(provider, model, { ...p.body, model }, opts)
        : await deps.client.completion(provider, model, { ...p.body, model }, opts);
    s.externalMs += performance.now() - tStart;
    if (!result.stream) {
      if (result.usage)
        s.usage = {
          promptTokens: result.usage.prompt_tokens,
          completionTokens: result.usage.completion_tokens,
        };
      return finishJson(s, JSON.stringify(result.response), name, reason);
    }
    s.status = 200;
    s.committed = true;
    s.overheadMs = overheadNow(s);
    s.ttftMs = performance.now() - s.t0;
    commitSse(s.res, { target: name, reason, overheadMs: s.overheadMs });
    try {
      for await (const chunk of result.chunks as AsyncIterable<unknown>) {
        await writeChunk(s.res, `data: ${JSON.stringify(chunk)}\n\n`);
      }
      await writeChunk(s.res, 'data: [DONE]\n\n');
      s.res.end();
    } catch (err) {
      if (!s.signal.aborted) writeSseError(s.res, `${name} failed mid-stream: ${messageOf(err)}`);
    }
    const u = await result.usage.catch(() => undefined);
    if (u) s.usage = { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens };
    return { ok: true };
  } catch (err) {
    s.externalMs += performance.now() - tStart;
    if (s.committed) return { ok: true };
    const overflowable =
      !s.signal.aborted &&
      (!isProviderError(err) || err.retryable || err.status === 429 || err.status >= 500);
    return { ok: false, error: err, overflowable };
  }
}

function finishJson(s: RequestState, text: string, target: string, reason: string): AttemptResult {
  s.status = 200;
  s.responseText = text;
  s.committed = true;
  s.overheadMs = overheadNow(s);
  writeJsonText(s.res, 200, text, { target, reason, overheadMs: s.overheadMs });
  return { ok: true };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
