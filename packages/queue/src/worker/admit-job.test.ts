import { describe, expect, it } from 'vitest';
import type { QueuedRequest } from '../queues/job-data.js';
import { admitJob, DeadlineError } from './admit-job.js';
import type { CapacityGate } from './capacity-gate.js';

/** A gate with no free slot until `freeAt`; waiting advances the injected clock instead of sleeping. */
function clockGate(freeAt: number) {
  const clock = { t: 0, waits: 0 };
  const gate: CapacityGate = {
    tryAcquire: (target) =>
      clock.t >= freeAt ? { model: target, release: () => undefined } : undefined,
    waitForChange: (_t, ms) => {
      clock.waits++;
      clock.t += ms;
      return Promise.resolve();
    },
  };
  return { gate, clock };
}

const job = (deadline?: number): QueuedRequest => ({
  kind: 'job',
  id: 'job_1',
  url: '/v1/chat/completions',
  body: {},
  target: 'chat',
  tenant: 't',
  cls: 'async',
  ...(deadline !== undefined ? { deadline } : {}),
});

const open = { models: ['llama'], canGoExternal: true, externalModel: 'oa/gpt' };
const closed = {
  models: ['llama'],
  canGoExternal: false,
  privateReason: "Route 'chat' is private",
};

describe('admitJob', () => {
  it('waits for a slot when there is no deadline', async () => {
    const { gate, clock } = clockGate(1000);
    const a = await admitJob(job(), {
      gate,
      policy: open,
      estimateMs: 100,
      marginMs: 50,
      now: () => clock.t,
      signal: new AbortController().signal,
    });
    expect(a).toMatchObject({ external: false });
    expect(clock.t).toBeGreaterThanOrEqual(1000);
  });

  it('goes external at deadline - estimate - margin when the Route allows', async () => {
    const { gate, clock } = clockGate(Infinity);
    const a = await admitJob(job(5000), {
      gate,
      policy: open,
      estimateMs: 1000,
      marginMs: 500,
      now: () => clock.t,
      signal: new AbortController().signal,
    });
    expect(a).toEqual({ external: true });
    expect(clock.t).toBe(3500);
  });

  it('takes a slot that frees before the deadline', async () => {
    const { gate, clock } = clockGate(2000);
    const a = await admitJob(job(5000), {
      gate,
      policy: open,
      estimateMs: 1000,
      marginMs: 500,
      now: () => clock.t,
      signal: new AbortController().signal,
    });
    expect(a).toMatchObject({ external: false });
  });

  it('fails a private job at its deadline with the reason, never external', async () => {
    const { gate, clock } = clockGate(Infinity);
    const p = admitJob(job(5000), {
      gate,
      policy: closed,
      estimateMs: 1000,
      marginMs: 500,
      now: () => clock.t,
      signal: new AbortController().signal,
    });
    await expect(p).rejects.toBeInstanceOf(DeadlineError);
    await expect(p).rejects.toThrow(/deadline_exceeded: .*Route 'chat' is private/);
    expect(clock.t).toBe(5000);
  });

  it('fails a job already past its deadline even when the Route allows the closed API', async () => {
    const { gate, clock } = clockGate(Infinity);
    clock.t = 6000;
    const p = admitJob(job(5000), {
      gate,
      policy: open,
      estimateMs: 1000,
      marginMs: 500,
      now: () => clock.t,
      signal: new AbortController().signal,
    });
    await expect(p).rejects.toBeInstanceOf(DeadlineError);
    await expect(p).rejects.toThrow(/deadline_exceeded: the deadline passed/);
    expect(clock.waits).toBe(0);
  });

  it('hands the job back on shutdown', async () => {
    const { gate, clock } = clockGate(Infinity);
    const ctl = new AbortController();
    ctl.abort();
    const a = await admitJob(job(), {
      gate,
      policy: open,
      estimateMs: 1,
      marginMs: 1,
      now: () => clock.t,
      signal: ctl.signal,
    });
    expect(a).toEqual({ handBack: true });
  });
});
