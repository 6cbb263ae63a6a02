import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from './replay-command.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
  return { out: () => out.join(''), err: () => err.join('') };
}

describe('sim replay', () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('prints the comparison table and writes JSON and SVG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-cli-'));
    dirs.push(dir);
    const io = capture();
    const code = await run(['--trace', 'gamma', '--rate', '2', '--duration', '5m', '--out', dir]);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    for (const p of ['fixed-peak', 'fixed-mean', 'autoscaler', 'closed-api'])
      expect(io.out()).toContain(p);
    const json = JSON.parse(readFileSync(join(dir, 'replay-gamma-2rps-cv4.json'), 'utf8')) as {
      rows: { policy: string; requests: number }[];
    };
    expect(json.rows).toHaveLength(4);
    expect(json.rows[0]!.requests).toBeGreaterThan(300);
    expect(readFileSync(join(dir, 'replay-gamma-2rps-cv4.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('replays a synthetic shape with a load multiplier', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-cli-'));
    dirs.push(dir);
    const io = capture();
    const argv = ['--trace', 'long-prompt', '--rate', '1', '--duration', '4m', '--out', dir];
    const code = await run([...argv, '--load-multiplier', '2', '--policies', 'fixed-peak']);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(
      readFileSync(join(dir, 'replay-long-prompt-1rps-s1-x2.json'), 'utf8'),
    ) as { trace: { durationS: number; requests: number } };
    // Twice the rate over half the time: the same requests in 2 minutes.
    expect(json.trace.durationS).toBeLessThanOrEqual(120);
    expect(json.trace.requests).toBeGreaterThan(100);
  });

  it.each([
    [['--load-multiplier', '0'], /--load-multiplier: "0" must be a number >= 0.001/],
    [['--max-concurrency', 'many'], /--max-concurrency: "many" must be an integer >= 1/],
    [['--scale-down-delay', '5 minutes'], /--scale-down-delay: "5 minutes" must be a duration/],
    [['--policies', 'fixed-peak,magic'], /--policies: unknown policy "magic"/],
    [['--trace', 'nowhere.csv'], /--trace: no trace file at/],
    [['--gpu', 'abacus'], /--gpu: unknown GPU type "abacus"/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('rejects %j with exit 2 and a message naming the flag', async (argv, message) => {
    const io = capture();
    const code = await run(argv);
    expect(code).toBe(2);
    expect(io.err()).toMatch(message);
    expect(io.err()).not.toMatch(/\n\s+at /);
  });
});
