import {
  isProviderError,
  type CallOptions,
  type ChatCompletionChunk,
  type ProviderClient,
  type StreamResult,
} from '@bascule/providers';
import type { AttemptOutcome, ProviderTarget } from '@bascule/router';
import { SpanKind, endWithError } from '../tracing/request-trace.js';
import { DialectSseWriter } from '../dialects/core/dialect-sse.js';
import type { ProviderResolver } from './provider-resolver.js';
import { sendNative } from './send-native.js';
import { tokenCounts, type TokenCounts } from './extract-usage.js';
import { overheadNow, type Answer, type RequestState } from './request-state.js';
import { commitSse, writeChunk, writeSseError } from './response-writer.js';

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
): Promise<AttemptOutcome | Answer> {
  const t = s.trace;
  if (!t) return callProvider(s, target, reason, deps, { signal: s.signal.abortSignal });
  // Tracing: the call in a CLIENT span whose context goes to the provider as traceparent.
  const span = t.trace.child(
    'bascule.provider_call',
    { 'bascule.target': target.name, 'bascule.provider': target.provider.metadata.name },
    t.attempt,
    SpanKind.CLIENT,
  );
  const r = await callProvider(s, target, reason, deps, {
    signal: s.signal.abortSignal,
    headers: t.trace.headersFor(span),
  });
  if ('error' in r) endWithError(span, r.error);
  else span.end();
  return r;
}

async function callProvider(
  s: RequestState,
  target: ProviderTarget,
  reason: string,
  deps: ProviderDeps,
  opts: CallOptions,
): Promise<AttemptOutcome | Answer> {
  const name = target.name;
  const model = target.providerModel.name;
  const tStart = performance.now();
  try {
    const provider = await deps.resolver.resolve(target.provider);
    const native = s.dialect?.native;
    // A redacted request never takes the untranslated path: its native body is the original.
    if (native && !s.redacted && provider.type === native.providerType) {
      const answer = await sendNative(
        s,
        deps.client,
        provider,
        model,
        native.body,
        { target: name, reason },
        native.beta ? { ...opts, anthropicBeta: native.beta } : opts,
      );
      return answer ?? SERVED;
    }
    const p = s.redacted ?? s.parsed;
    if (p.kind === 'embeddings') {
      const r = await deps.client.embeddings(provider, model, { ...p.body, model }, opts);
      s.externalMs += performance.now() - tStart;
      return answerOf(JSON.stringify(r), {
        promptTokens: r.usage.prompt_tokens,
        completionTokens: 0,
      });
    }
    const result =
      p.kind === 'chat'
        ? await deps.client.chat(provider, model, { ...p.body, model }, opts)
        : await deps.client.completion(provider, model, { ...p.body, model }, opts);
    s.externalMs += performance.now() - tStart;
    if (!result.stream) return answerOf(JSON.stringify(result.response), tokenCounts(result.usage));
    s.status = 200;
    s.committed = true;
    s.overheadMs = overheadNow(s);
    s.ttftMs = performance.now() - s.t0;
    commitSse(s.res, { target: name, reason, overheadMs: s.overheadMs });
    if (s.dialect) return await streamInDialect(s, result, name);
    try {
      for await (const chunk of result.chunks as AsyncIterable<unknown>) {
        await writeChunk(s.res, `data: ${JSON.stringify(chunk)}\n\n`);
      }
      await writeChunk(s.res, 'data: [DONE]\n\n');
      s.res.end();
    } catch (err) {
      if (!s.signal.aborted) writeSseError(s.res, `${name} failed mid-stream: ${messageOf(err)}`);
    }
    const u = tokenCounts(await result.usage.catch(() => undefined));
    if (u) s.usage = u;
    return SERVED;
  } catch (err) {
    s.externalMs += performance.now() - tStart;
    if (s.committed) return SERVED;
    if (s.signal.aborted) return { kind: 'cancelled', error: err };
    const transient =
      !isProviderError(err) || err.retryable || err.status === 429 || err.status >= 500;
    return { kind: 'provider-failed', error: err, transient };
  }
}

const SERVED: AttemptOutcome = { kind: 'served' };

/** A provider's whole answer (chat, completion, embeddings), for the loop to write. */
function answerOf(text: string, usage: TokenCounts | undefined): Answer {
  return { kind: 'answer', status: 200, text, usage, render: true, keep: true };
}

/** A provider's chat stream rendered in the client's dialect (its events, its stream errors). */
async function streamInDialect(
  s: RequestState,
  result: StreamResult<unknown>,
  name: string,
): Promise<AttemptOutcome> {
  const w = new DialectSseWriter(s.res, s.dialect!);
  try {
    for await (const chunk of result.chunks as AsyncIterable<ChatCompletionChunk>)
      await w.chunk(chunk);
    await w.end();
  } catch (err) {
    if (!s.signal.aborted) w.fail(`${name} failed mid-stream: ${messageOf(err)}`);
  }
  const u = tokenCounts(await result.usage.catch(() => undefined));
  if (u) s.usage = u;
  return SERVED;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
