import { describe, expect, it } from 'vitest';
import { authHead } from '@bascule/keyspace';
import { waitFor } from '@bascule/test-support';
import { AuthBatch, SETTLE_DELAY_MS } from './auth-batch.js';

/** A recording Redis call: each call's keys and args; replies echo the key of each admission. */
function recorder() {
  const calls: { keys: string[]; args: string[] }[] = [];
  const run = (keys: string[], args: string[]) => {
    calls.push({ keys, args });
    return Promise.resolve(keys.slice(1).map((k) => ['ok', '0', 'id', k]));
  };
  return { calls, run };
}
const T = Date.UTC(2026, 11, 6, 8, 30, 15);
const settle = (id: string, costUSD: number, tokens = 10) => ({
  id,
  period: '2026-12',
  est: 0.5,
  costUSD,
  tokens,
  minute: '2026-12-06T08:30',
});

describe('AuthBatch: the key store writes of one event-loop turn in one call', () => {
  it('admissions asked in one turn go in one call, each gets its own reply', async () => {
    const r = recorder();
    const b = new AuthBatch(r.run, authHead(), 'idx', () => T);
    const replies = await Promise.all([
      b.admit('rec-a', 'request'),
      b.admit('rec-b', 'check'),
      b.admit('rec-a', 'deferred'),
    ]);
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0]!.keys).toEqual(['idx', 'rec-a', 'rec-b', 'rec-a']);
    // head, minute, day, month, seconds left in the minute, no settles, then mode and want
    expect(r.calls[0]!.args).toEqual([
      authHead(),
      '2026-12-06T08:30',
      '2026-12-06',
      '2026-12',
      '45',
      '0',
      'request',
      '1',
      'check',
      '1',
      'deferred',
      '1',
    ]);
    expect(replies.map((x) => x.reply[3])).toEqual(['rec-a', 'rec-b', 'rec-a']);
    expect(replies[0].at.getTime()).toBe(T);
    // a later turn is a call of its own
    await b.admit('rec-c', 'request');
    expect(r.calls).toHaveLength(2);
  });

  it('settles ride with the next admission, summed per key, before it', async () => {
    const r = recorder();
    const b = new AuthBatch(r.run, 'h', 'idx', () => T);
    b.settle(settle('key_a', 0.25));
    b.settle(settle('key_a', 0.75, 5));
    b.settle(settle('key_b', 0.1));
    b.settle({ ...settle('key_b', 0), est: 2, tokens: 0, slots: 4 }); // a lease's unused part
    await b.admit('rec-a', 'request', 8);
    expect(r.calls).toHaveLength(1);
    const args = r.calls[0]!.args;
    expect(args[5]).toBe('16'); // two groups of 8 values
    expect(args.slice(6, 14)).toEqual([
      'key_a',
      '2026-12',
      '1',
      '1',
      '15',
      '2026-12-06T08:30',
      '0.75',
      '0',
    ]);
    expect(args.slice(14, 22)).toEqual([
      'key_b',
      '2026-12',
      '2.5',
      '0.1',
      '10',
      '2026-12-06T08:30',
      '0.1',
      '4',
    ]);
    expect(args.slice(22)).toEqual(['request', '8']);
  });

  it('a settle with no admission to ride with is sent alone, within the delay', async () => {
    const r = recorder();
    const b = new AuthBatch(r.run, 'h', 'idx', () => T);
    const t0 = performance.now();
    b.settle(settle('key_a', 0.5));
    await waitFor('the settle is sent', () => r.calls.length === 1, 5000, 2);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(SETTLE_DELAY_MS - 2);
    expect(r.calls[0]!.keys).toEqual(['idx']);
    expect(r.calls[0]!.args[5]).toBe('8');
  });

  it('drain sends what waits at once and waits for the answer', async () => {
    const r = recorder();
    const b = new AuthBatch(r.run, 'h', 'idx', () => T);
    b.settle(settle('key_a', 0.5));
    await b.drain();
    expect(r.calls).toHaveLength(1);
    await b.drain();
    expect(r.calls).toHaveLength(1); // nothing left: no empty call
  });

  it('a failed call fails every admission in it', async () => {
    const b = new AuthBatch(
      () => Promise.reject(new Error('down')),
      'h',
      'idx',
      () => T,
    );
    const all = await Promise.allSettled([b.admit('a', 'request'), b.admit('b', 'request')]);
    expect(all.map((x) => x.status)).toEqual(['rejected', 'rejected']);
  });
});
