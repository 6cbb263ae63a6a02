// What a client of the gateway sees for one chat completion through the official openai SDK
// (streaming or not), and the gateway's Prometheus counters as a user would scrape them.
import OpenAI from 'openai';
import type { Serve } from '../support/stack.js';

export interface Answer {
  status: number;
  target: string | null;
  reason: string | null;
  /** The `model` field of the response body. */
  model: string;
  content: string;
  usage: { prompt: number; completion: number };
}

export interface AskOptions {
  stream?: boolean;
  tools?: OpenAI.Chat.Completions.ChatCompletionTool[];
  maxTokens?: number;
}

/** One chat completion; a stream is read to the end, with usage asked for. */
export async function ask(
  client: OpenAI,
  route: string,
  prompt: string,
  o: AskOptions = {},
): Promise<Answer> {
  const body = {
    model: route,
    messages: [{ role: 'user' as const, content: prompt }],
    max_tokens: o.maxTokens ?? 16,
    ...(o.tools ? { tools: o.tools } : {}),
  };
  const headers = (r: Response) => ({
    status: r.status,
    target: r.headers.get('x-bascule-target'),
    reason: r.headers.get('x-bascule-route-reason'),
  });
  if (o.stream) {
    const { data, response } = await client.chat.completions
      .create(
        { ...body, stream: true, stream_options: { include_usage: true } },
        { timeout: 60_000 },
      )
      .withResponse();
    let content = '';
    let model = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of data) {
      model ||= chunk.model;
      const d = chunk.choices[0]?.delta;
      content += d?.content ?? '';
      for (const call of d?.tool_calls ?? []) content += call.function?.arguments ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    return { ...headers(response), model, content, usage: usageOf(usage) };
  }
  const { data, response } = await client.chat.completions
    .create(body, { timeout: 60_000 })
    .withResponse();
  const m = data.choices[0]?.message;
  const content =
    (m?.content ?? '') +
    (m?.tool_calls ?? []).map((c) => (c.type === 'function' ? c.function.arguments : '')).join('');
  return { ...headers(response), model: data.model, content, usage: usageOf(data.usage) };
}

function usageOf(u: OpenAI.CompletionUsage | undefined | null): Answer['usage'] {
  return { prompt: u?.prompt_tokens ?? -1, completion: u?.completion_tokens ?? -1 };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The ops port's /metrics of a running `bascule-server`, parsed (counters and gauges). */
export async function scrape(serve: Serve): Promise<Sample[]> {
  const url = /"url":"(http:[^"]+)"[^\n]*"msg":"metrics and health endpoints listening"/.exec(
    serve.output(),
  )?.[1];
  if (!url) throw new Error('bascule-server logged no metrics URL');
  const text = await (await fetch(`${url}/metrics`)).text();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** Sum of a metric's samples whose labels include `match`. */
export function total(samples: Sample[], name: string, match: Record<string, string> = {}) {
  return samples
    .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** `after` minus `before`, sample by sample (a sample absent before counts from 0). */
export function delta(before: Sample[], after: Sample[]): Sample[] {
  const key = (s: Sample) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`;
  const was = new Map(before.map((s) => [key(s), s.value]));
  return after.map((s) => ({ ...s, value: s.value - (was.get(key(s)) ?? 0) }));
}
