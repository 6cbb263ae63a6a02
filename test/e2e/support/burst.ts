// A bounded burst of chat completions through the official openai SDK, with every outcome kept:
// status, the target and routing reason the gateway reports, and the error a client would see.
import OpenAI from 'openai';

export interface BurstOutcome {
  status: number;
  /** x-bascule-target: a Model name or provider/model. */
  target: string | null;
  /** x-bascule-route-reason, e.g. priority, overflow:no-capacity. */
  reason: string | null;
  /** The error message the SDK raised, for failed requests. */
  error?: string;
  ms: number;
}

export interface BurstOptions {
  client: OpenAI;
  /** The Route (the `model` field of the request). */
  route: string;
  /** How many requests in all (bounded). */
  requests: number;
  /** How many in flight at once (default: all of them). */
  concurrency?: number;
  maxTokens?: number;
  stream?: boolean;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
  prompt?: (i: number) => string;
}

async function one(o: BurstOptions, i: number): Promise<BurstOutcome> {
  const started = Date.now();
  const body = {
    model: o.route,
    messages: [{ role: 'user' as const, content: o.prompt?.(i) ?? `burst request ${i}` }],
    max_tokens: o.maxTokens ?? 16,
  };
  const timeout = o.timeoutMs ?? 60_000;
  try {
    if (o.stream) {
      const { data, response } = await o.client.chat.completions
        .create({ ...body, stream: true }, { timeout })
        .withResponse();
      let text = '';
      for await (const chunk of data) text += chunk.choices[0]?.delta?.content ?? '';
      if (text.length === 0) throw new Error('stream ended with no content');
      return outcome(response, started);
    }
    const { data, response } = await o.client.chat.completions
      .create(body, { timeout })
      .withResponse();
    if (!data.choices[0]?.message.content) throw new Error('completion with no content');
    return outcome(response, started);
  } catch (err) {
    const status = err instanceof OpenAI.APIError ? ((err as { status?: number }).status ?? 0) : 0;
    return {
      status,
      target: null,
      reason: null,
      error: err instanceof Error ? err.message : JSON.stringify(err),
      ms: Date.now() - started,
    };
  }
}

function outcome(response: Response, started: number): BurstOutcome {
  return {
    status: response.status,
    target: response.headers.get('x-bascule-target'),
    reason: response.headers.get('x-bascule-route-reason'),
    ms: Date.now() - started,
  };
}

/** Sends `requests` requests, at most `concurrency` at a time, and returns every outcome in order. */
export async function burst(o: BurstOptions): Promise<BurstOutcome[]> {
  const results: BurstOutcome[] = new Array<BurstOutcome>(o.requests);
  let next = 0;
  const lanes = Math.min(o.concurrency ?? o.requests, o.requests);
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < o.requests) {
        const i = next++;
        results[i] = await one(o, i);
      }
    }),
  );
  return results;
}

/** Counts outcomes by a key, e.g. `tally(r, (o) => o.target)`. */
export function tally<K>(outcomes: BurstOutcome[], key: (o: BurstOutcome) => K): Map<K, number> {
  const counts = new Map<K, number>();
  for (const o of outcomes) counts.set(key(o), (counts.get(key(o)) ?? 0) + 1);
  return counts;
}
