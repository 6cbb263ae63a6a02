import { PRIVACY_HEADER, SHADOW_HEADER } from '@bascule/spec';

/** One chat call of a shadow evaluation: the other tier's answer, or the judge's verdict. */
export interface ShadowCall {
  /** A Model name or `provider/model`, addressed directly (not through the Route). */
  model: string;
  messages: { role: string; content: unknown }[];
  maxTokens: number;
  /** `{ns}/{route}`: the gateway meters the call under this Route's shadow usage. */
  shadowOf: string;
  /** Never leave the cluster (`x-bascule-privacy: strict`): private Routes and strict requests. */
  strict: boolean;
  timeoutMs: number;
}

export interface ShadowAnswer {
  text: string;
  promptTokens: number;
  completionTokens: number;
  /** Time the call took (what a self-hosted target was held for). */
  ms: number;
}

export interface ShadowCaller {
  call(c: ShadowCall): Promise<ShadowAnswer>;
}

export interface GatewayShadowCallerOptions {
  /** The gateway's base URL. */
  url: string;
  /** e.g. an Authorization header with the worker's key. */
  headers?: Record<string, string>;
}

/**
 * Calls go through the gateway like any other request, so they are metered (under the Route's
 * `shadow` usage), counted against the key and held to privacy: a strict call can never reach a
 * Provider, whatever the worker asks.
 */
export function createGatewayShadowCaller(o: GatewayShadowCallerOptions): ShadowCaller {
  const base = o.url.replace(/\/+$/, '');
  return {
    async call(c) {
      const t0 = performance.now();
      const res = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        signal: AbortSignal.timeout(c.timeoutMs),
        headers: {
          ...o.headers,
          'content-type': 'application/json',
          [SHADOW_HEADER]: c.shadowOf,
          ...(c.strict ? { [PRIVACY_HEADER]: 'strict' } : {}),
        },
        body: JSON.stringify({ model: c.model, messages: c.messages, max_tokens: c.maxTokens }),
      });
      const text = await res.text();
      if (res.status !== 200)
        throw new Error(`shadow call to ${c.model}: HTTP ${res.status}: ${text.slice(0, 200)}`);
      const b = JSON.parse(text) as {
        choices?: { message?: { content?: unknown } }[];
        usage?: { prompt_tokens?: number; completion_tokens?: number };
      };
      const content = b.choices?.[0]?.message?.content;
      return {
        text: typeof content === 'string' ? content : '',
        promptTokens: b.usage?.prompt_tokens ?? 0,
        completionTokens: b.usage?.completion_tokens ?? 0,
        ms: performance.now() - t0,
      };
    },
  };
}
