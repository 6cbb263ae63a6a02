// Batch helpers for the scenarios (batch window, observability, serve-batch, failures): build
// and upload a Batch with the official openai SDK, wait for it to end, read its output file, and
// watch how many requests a Model's engines run.
import OpenAI, { toFile } from 'openai';
import type { Batch } from 'openai/resources/batches';
import type { Stack } from '../support/stack.js';
import { waitFor } from '../support/stack.js';

export interface OutputLine {
  custom_id: string;
  response: { status_code: number; body: { model: string; choices: unknown[] } } | null;
  error: { code: string; message: string } | null;
}

/**
 * One chat line per id, all for `model` (a Model or Route name), each asking for `maxTokens`;
 * `content` is the user message of each id.
 */
export function batchJsonl(
  ids: string[],
  model: string,
  maxTokens: number,
  content: (id: string) => string = (id) => `Summarise item ${id}.`,
): string {
  return ids
    .map((id) =>
      JSON.stringify({
        custom_id: id,
        method: 'POST',
        url: '/v1/chat/completions',
        body: {
          model,
          messages: [{ role: 'user', content: content(id) }],
          max_tokens: maxTokens,
        },
      }),
    )
    .join('\n');
}

/** files.create + batches.create, as a user of the official SDK would. */
export async function submitBatch(
  client: OpenAI,
  jsonl: string,
  window: string,
  name: string,
): Promise<Batch> {
  const file = await client.files.create({
    file: await toFile(Buffer.from(jsonl), `${name}.jsonl`),
    purpose: 'batch',
  });
  return client.batches.create({
    input_file_id: file.id,
    endpoint: '/v1/chat/completions',
    // The SDK types the window as '24h'; Bascule also takes shorter ones (docs/batch.md).
    completion_window: window as '24h',
  });
}

const TERMINAL = ['completed', 'failed', 'expired', 'cancelled'];

export function waitForBatchEnd(client: OpenAI, id: string, timeoutMs: number): Promise<Batch> {
  return waitFor(
    `batch ${id} to end`,
    async () => {
      const b = await client.batches.retrieve(id);
      return TERMINAL.includes(b.status) ? b : undefined;
    },
    timeoutMs,
  );
}

export async function readOutput(client: OpenAI, fileId: string): Promise<OutputLine[]> {
  const text = await (await client.files.content(fileId)).text();
  return text
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as OutputLine);
}

interface ModelEndpoints {
  status?: { endpoints?: { ip: string; port: number; ready: boolean }[] };
}

/** Sum of `vllm:num_requests_running` over the Model's ready engines (engine-sim's /metrics). */
async function runningOn(urls: string[]): Promise<number> {
  const counts = await Promise.all(
    urls.map(async (u) => {
      const text = await (await fetch(`${u}/metrics`)).text();
      const m = /^vllm:num_requests_running\{[^}]*\} ([\d.]+)$/m.exec(text);
      return m ? Number(m[1]) : 0;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

export interface RunningSampler {
  /** The highest sum of running requests seen so far, and over how many ready engines. */
  max(): { running: number; engines: number };
  /** Every sample taken (running requests summed over the Model's ready engines). */
  samples(): number[];
  /** Resolves once the latest sample shows at least `n` running requests. */
  reach(n: number, timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Samples the Model's engines every ~100 ms until stopped. This is observation, not
 * synchronisation: the test never waits on a timer for the system to make progress, it reads
 * how many requests the engines are running while the batch is going.
 */
export function sampleRunning(stack: Stack, model: string): RunningSampler {
  let stopped = false;
  let urls: string[] = [];
  let refreshedAt = 0;
  const all: number[] = [];
  let best = { running: 0, engines: 0 };
  const loop = (async () => {
    while (!stopped) {
      try {
        // Endpoints change as the Model scales: re-read them about once a second.
        if (Date.now() - refreshedAt > 1000) {
          const m = await stack.h.kubectlJson<ModelEndpoints>(['get', 'model', model]);
          urls = (m.status?.endpoints ?? [])
            .filter((e) => e.ready)
            .map((e) => `http://${e.ip}:${e.port}`);
          refreshedAt = Date.now();
        }
        const running = await runningOn(urls);
        all.push(running);
        if (running > best.running) best = { running, engines: urls.length };
      } catch {
        // An engine going away mid-sample: the next sample re-reads the endpoints.
        refreshedAt = 0;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    max: () => best,
    samples: () => [...all],
    reach: (n, timeoutMs) =>
      waitFor(
        `${n} requests running on ${model}`,
        () => (all.at(-1) ?? 0) >= n && all.at(-1),
        timeoutMs,
      ),
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
