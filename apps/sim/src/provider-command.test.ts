import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@bascule/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { parseProviderArgs, ProviderArgsError } from './provider-command.js';

describe('parseProviderArgs', () => {
  it('maps flags to options', () => {
    const o = parseProviderArgs(
      [
        '--type',
        'anthropic',
        '--port',
        '9001',
        '--api-key',
        'test',
        '--models',
        'a, b',
        '--per-token-ms',
        '5',
        '--rate-limit-every',
        '3',
        '--fail-after-first-chunk',
      ],
      {},
    );
    expect(o).toMatchObject({
      type: 'anthropic',
      port: 9001,
      apiKey: 'test',
      models: ['a', 'b'],
      latency: { perTokenMs: 5 },
      faults: { rateLimitEvery: 3, failAfterFirstChunk: true },
    });
    expect(parseProviderArgs(['--type', 'gemini'], { PROVIDER_SIM_API_KEY: 'k' })).toMatchObject({
      apiKey: 'k',
    });
    expect(parseProviderArgs(['--help'], {})).toBe('help');
  });

  it('names the bad flag', () => {
    expect(() => parseProviderArgs(['--type', 'azure', '--api-key', 'k'], {})).toThrow(/--type/);
    expect(() => parseProviderArgs(['--type', 'openai'], {})).toThrow(/--api-key/);
    expect(() =>
      parseProviderArgs(['--type', 'openai', '--api-key', 'k', '--port', 'abc'], {}),
    ).toThrow(ProviderArgsError);
    expect(() => parseProviderArgs(['--type', 'openai', '--api-key', 'k', '--bogus'], {})).toThrow(
      /bogus/,
    );
  });
});

describe('sim provider (process)', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  const main = fileURLToPath(new URL('./main.ts', import.meta.url));

  function start(args: string[]): {
    child: ChildProcess;
    output: () => string;
    exited: Promise<number | null>;
  } {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions', 'source', main, 'provider', ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      proc.on('exit', (code) => resolve(code)),
    );
    return { child: proc, output: () => out, exited };
  }

  it('prints where it listens, serves, and exits 0 on SIGTERM', async () => {
    const p = start(['--type', 'openai', '--api-key', 'secret-key-123', '--port', '0']);
    child = p.child;
    const url = await waitFor(
      'the listening line',
      () => /listening on (http:\/\/\S+)/.exec(p.output())?.[1],
      20_000,
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(p.output()).not.toContain('secret-key-123');
    const res = await fetch(`${url}/v1/models`, {
      headers: { authorization: 'Bearer secret-key-123' },
    });
    expect(res.status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });

  it('exits 2 with a message naming the flag on bad input', async () => {
    const p = start(['--type', 'nope', '--api-key', 'k']);
    child = p.child;
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain('--type');
  });
});
