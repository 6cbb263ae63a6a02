import { describe, expect, it } from 'vitest';
import {
  createProgressWriter,
  modelPhase,
  progressLines,
  type ModelView,
} from './model-progress.js';

const model = (status?: ModelView['status'], generation = 1): ModelView => ({
  metadata: { name: 'llama', generation },
  spec: { engine: 'vllm', gpus: 'nvidia-l4:1' },
  ...(status ? { status } : {}),
});
const ready = (status: string, reason: string) => ({
  observedGeneration: 1,
  conditions: [{ type: 'Ready', status, reason }],
  replicas: { desired: 1, ready: status === 'True' ? 1 : 0 },
});

describe('model progress', () => {
  it('tells ready, scaled to zero, stuck and waiting apart', () => {
    expect(modelPhase(model()).phase).toBe('waiting');
    expect(modelPhase(model(ready('True', 'Serving'), 2)).phase).toBe('waiting'); // stale status
    expect(modelPhase(model(ready('True', 'Serving')))).toEqual({
      phase: 'ready',
      text: '1 ready, 1 desired, Serving',
    });
    expect(modelPhase(model(ready('False', 'ScaledToZero'))).phase).toBe('zero');
    expect(modelPhase(model(ready('False', 'InsufficientGPU'))).phase).toBe('failed');
    expect(modelPhase(model(ready('False', 'Loading')))).toEqual({
      phase: 'waiting',
      text: '0 ready, 1 desired, Loading',
    });
  });

  it("does not believe a Ready status naming pods that are gone (the last run's, after a restart)", () => {
    const status = { ...ready('True', 'Serving'), endpoints: [{ pod: 'llama-abc-1' }] };
    const live = new Set(['llama-def-2']);
    expect(modelPhase(model(status)).phase).toBe('ready');
    expect(modelPhase(model(status), (p) => live.has(p)).phase).toBe('waiting');
    live.add('llama-abc-1');
    expect(modelPhase(model(status), (p) => live.has(p)).phase).toBe('ready');
  });

  it('redraws in place on a TTY and prints only changes otherwise', () => {
    const chunks: string[] = [];
    const sink = {
      write: (s: string) => chunks.push(s),
      isTTY: false,
    } as unknown as NodeJS.WritableStream;
    const w = createProgressWriter(sink);
    w.update(progressLines([model(ready('False', 'Loading'))]));
    w.update(progressLines([model(ready('False', 'Loading'))]));
    w.update(progressLines([model(ready('True', 'Serving'))]));
    expect(chunks).toHaveLength(2);
    expect(chunks[1]).toMatch(/✔ llama\s+vllm\s+nvidia-l4:1\s+1 ready, 1 desired, Serving\n/);
    const tty: string[] = [];
    const t = createProgressWriter({
      write: (s: string) => tty.push(s),
      isTTY: true,
    } as unknown as NodeJS.WritableStream);
    t.update(['a']);
    t.update(['b']);
    expect(tty.join('')).toBe('\x1b[2Ka\n\x1b[1A\x1b[2Kb\n');
  });
});
