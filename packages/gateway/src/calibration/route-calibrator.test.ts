import { quantiseScore } from '@bascule/router';
import { afterEach, describe, expect, it } from 'vitest';
import { RouteCalibrator } from './route-calibrator.js';
import { createMemoryScoreWindowStore, type ScoreWindowStore } from './score-window-store.js';

const spec = { complexityThreshold: 0.5, complexity: { strongShare: 0.3 } };
const KEY = 'default/share';
const calibrators: RouteCalibrator[] = [];
const make = (store: ScoreWindowStore, flushEvery = 16) => {
  const c = new RouteCalibrator({ store, scorer: 'test', flushEvery, refreshMs: 60_000 });
  calibrators.push(c);
  return c;
};
afterEach(() => {
  for (const c of calibrators.splice(0)) c.close();
});

describe('RouteCalibrator', () => {
  it('warms up on complexityThreshold, then takes the quantile of the merged window', async () => {
    const c = make(createMemoryScoreWindowStore());
    expect(c.threshold(KEY, spec)).toMatchObject({ value: 0.5, source: 'warm-up' });
    for (let i = 0; i < 100; i++) c.record(KEY, spec, quantiseScore(i / 100), i >= 70);
    await c.flush();
    expect(c.threshold(KEY, spec)).toMatchObject({ value: 0.7, source: 'share', samples: 100 });
  });

  it('merges the windows of replicas that share a store', async () => {
    const store = createMemoryScoreWindowStore();
    const a = make(store);
    const b = make(store);
    // Replica a only sees easy prompts, b only hard ones: each alone would be far off.
    for (let i = 0; i < 50; i++) {
      a.record(KEY, spec, quantiseScore(i / 100), false);
      b.record(KEY, spec, quantiseScore(0.5 + i / 100), i >= 20);
    }
    await a.flush();
    await b.flush();
    await a.flush();
    for (const c of [a, b])
      expect(c.threshold(KEY, spec)).toMatchObject({ value: 0.7, samples: 100 });
  });

  it('refreshes off the request path as soon as flushEvery decisions wait', async () => {
    const c = make(createMemoryScoreWindowStore(), 20);
    for (let i = 0; i < 20; i++) c.record(KEY, spec, quantiseScore(i / 20), false);
    expect(c.threshold(KEY, spec).source).toBe('warm-up');
    const deadline = Date.now() + 2000;
    while (c.threshold(KEY, spec).source !== 'share' && Date.now() < deadline)
      await new Promise((r) => setImmediate(r));
    expect(c.threshold(KEY, spec)).toMatchObject({ source: 'share', samples: 20 });
  });

  it('keeps its last window and its own decisions when the store fails', async () => {
    let fail = false;
    const memory = createMemoryScoreWindowStore();
    const errors: unknown[] = [];
    const store: ScoreWindowStore = {
      exchange: (k, e, n) => (fail ? Promise.reject(new Error('down')) : memory.exchange(k, e, n)),
    };
    const c = new RouteCalibrator({
      store,
      scorer: 't',
      refreshMs: 60_000,
      onError: (e) => errors.push(e),
    });
    calibrators.push(c);
    for (let i = 0; i < 40; i++) c.record(KEY, spec, quantiseScore(i / 100), false);
    await c.flush();
    fail = true;
    for (let i = 40; i < 100; i++) c.record(KEY, spec, quantiseScore(i / 100), false);
    await c.flush();
    expect(errors.length).toBe(1);
    expect(c.threshold(KEY, spec)).toMatchObject({ source: 'share', samples: 100 });
  });

  it('follows an edited Route at once, and leaves uncalibrated Routes fixed', async () => {
    const c = make(createMemoryScoreWindowStore());
    for (let i = 0; i < 100; i++) c.record(KEY, spec, quantiseScore(i / 100), i >= 70);
    await c.flush();
    const edited = { ...spec, complexity: { strongShare: 0.1 } };
    expect(c.threshold(KEY, edited).value).toBeGreaterThan(0.9);
    expect(c.threshold('default/fixed', { complexityThreshold: 0.45 })).toEqual({
      value: 0.45,
      tieShare: 1,
      source: 'fixed',
    });
  });
});
