import { waitFor } from '@bascule/test-support';
import { describe, expect, it } from 'vitest';
import { serveEngine } from './engine-command.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  return {
    out,
    err,
    controller,
    io: {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      signal: controller.signal,
    },
  };
}

describe('sim engine command', () => {
  it('prints where it listens, serves, and stops on abort with 0', async () => {
    const t = io();
    const running = serveEngine(
      [
        '--engine',
        'vllm',
        '--model',
        'meta-llama/Llama-3.1-8B-Instruct',
        '--gpu',
        'h100',
        '--port',
        '0',
        '--load-seconds',
        '0',
        '--tokenizer',
        'approx',
      ],
      t.io,
    );
    const url = await waitFor(
      'the listening line',
      () => /listening on (http:\/\/\S+)/.exec(t.out.join(''))?.[1],
      10_000,
      5,
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(t.out.join('')).toMatch(
      /on h100 x1 \(8B params; step = 5752\.7 \+ 17\.25·prefill \+ 6\.00·decode µs/,
    );
    const models = (await (await fetch(`${url}/v1/models`)).json()) as {
      data: Array<{ id: string }>;
    };
    expect(models.data[0]!.id).toBe('meta-llama/Llama-3.1-8B-Instruct');
    t.controller.abort();
    expect(await running).toBe(0);
  });

  it('exits 2 with the engine-style message on a bad flag value', async () => {
    const t = io();
    expect(await serveEngine(['--model', 'x', '--max-num-seqs', 'lots'], t.io)).toBe(2);
    expect(t.err.join('')).toBe(
      "vllm serve: error: argument --max-num-seqs: invalid int value: 'lots'\n",
    );
    const u = io();
    expect(await serveEngine(['--engine', 'sglang'], u.io)).toBe(2);
    expect(u.err.join('')).toMatch(/--engine must be vllm or tgi/);
    const g = io();
    expect(await serveEngine(['--gpu', 'voodoo', '--port', '0'], g.io)).toBe(1);
    expect(g.err.join('')).toMatch(/unknown GPU type "voodoo"/);
  });
});
