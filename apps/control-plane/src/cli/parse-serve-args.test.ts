import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runServer } from '../serve.js';
import { parseServeArgs } from './parse-serve-args.js';

const ROLES = ['controller'];

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    io: { stdout, stderr, stopSignal: () => new Promise<string>(() => {}) },
    out: () => out,
    err: () => err,
  };
}

describe('bascule-server arguments', () => {
  it('parses roles, durations and defaults once', () => {
    const parsed = parseServeArgs(
      [
        '--roles',
        'controller',
        '--kubeconfig',
        '/k',
        '--lease-duration',
        '3s',
        '--renew-deadline',
        '2s',
        '--retry-period',
        '250ms',
        '--metrics-port',
        '0',
      ],
      ROLES,
    );
    expect(parsed).toMatchObject({
      kind: 'serve',
      config: {
        roles: ['controller'],
        kubeconfig: '/k',
        leaseDuration: 3000,
        renewDeadline: 2000,
        retryPeriod: 250,
        metricsPort: 0,
        leaderElect: true,
        workers: 4,
        startupTimeout: 3_600_000,
      },
    });
    expect(parseServeArgs([], ROLES)).toMatchObject({ config: { roles: ['controller'] } });
    expect(parseServeArgs(['--no-leader-elect'], ROLES)).toMatchObject({
      config: { leaderElect: false },
    });
  });

  it.each([
    [
      ['--roles', 'controller,scheduler'],
      '--roles ("scheduler"): must be one of api, gateway, controller, worker',
    ],
    [['--lease-duration', '15'], '--lease-duration: must be a duration'],
    [['--metrics-port', '70000'], '--metrics-port: must be 0..65535'],
    [['--renew-deadline', '20s'], '--renew-deadline must be shorter than --lease-duration'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['launch'], "Unexpected argument 'launch'"],
  ])('%j is a usage error naming the flag', async (argv, message) => {
    const t = io();
    expect(await runServer(argv, t.io)).toBe(2);
    expect(t.err()).toContain(`bascule-server: ${message}`);
    expect(t.err()).toContain('Usage: bascule-server');
    expect(t.err()).not.toMatch(/\n\s+at /);
  });

  it.each([
    [{ BASCULE_GATEWAY_PORT: '70000' }, 'BASCULE_GATEWAY_PORT: must be 0..65535'],
    [{ BASCULE_REDIS_URL: 'localhost:6379' }, 'BASCULE_REDIS_URL: must be a redis://'],
    [{ OTEL_TRACES_SAMPLER: 'sometimes', OTEL_TRACES_EXPORTER: 'otlp' }, 'OTEL_TRACES_SAMPLER:'],
    [{ BASCULE_AUTH: 'keys' }, 'BASCULE_REDIS_URL: BASCULE_AUTH=keys needs BASCULE_REDIS_URL'],
  ])(
    'environment %j is a start-up error naming the variable, before any role starts',
    async (env, message) => {
      const t = io();
      expect(await runServer(['--roles', 'controller,gateway'], { ...t.io, env })).toBe(2);
      expect(t.err()).toContain(`bascule-server: ${message}`);
      expect(t.err()).not.toContain('Usage: bascule-server');
      expect(t.err()).not.toMatch(/\n\s+at /);
      expect(t.out()).toBe('');
    },
  );

  it('refuses a known role this build does not provide (checked against a fixed list)', () => {
    expect(() => parseServeArgs(['--roles', 'controller,worker'], ['controller'])).toThrow(
      '--roles: worker not available in this build (available: controller)',
    );
  });

  it('takes no subcommand: a positional word is a usage error naming it', () => {
    expect(() => parseServeArgs(['serve', '--roles', 'api'], ROLES)).toThrow(/'serve'/);
  });

  it('prints help and exits 0', async () => {
    const t = io();
    expect(await runServer(['--help'], t.io)).toBe(0);
    expect(t.out()).toContain('--roles LIST');
  });
});

describe('--gpu-profiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bsc-gpu-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds GPU types to the built-in profiles, read once', () => {
    const file = join(dir, 'ok.json');
    writeFileSync(
      file,
      JSON.stringify({
        'acme-x1': {
          nodeSelector: { 'cloud.example/accelerator': 'x1' },
          tolerations: [
            { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
          ],
        },
        'acme-x2': { anyOf: [{ 'cloud.example/accelerator': ['x2', 'x2-pcie'] }] },
      }),
    );
    const parsed = parseServeArgs(['--gpu-profiles', file], ROLES);
    if (parsed.kind !== 'serve') throw new Error('expected serve');
    expect(parsed.config.gpuProfileTable?.['acme-x1']?.nodeSelector).toEqual({
      'cloud.example/accelerator': 'x1',
    });
    expect(parsed.config.gpuProfileTable?.['acme-x2']).toEqual({
      nodeSelector: {},
      anyOf: [{ 'cloud.example/accelerator': ['x2', 'x2-pcie'] }],
      tolerations: [],
    });
    expect(parsed.config.gpuProfileTable?.['nvidia-h100']?.anyOf?.[0]).toEqual({
      'nvidia.com/gpu.product': ['NVIDIA-H100-80GB-HBM3', 'NVIDIA-H100-PCIe'],
    });
  });

  it('names the file and the bad field', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ 'acme-x1': { nodeSelector: {}, tolerations: [] } }));
    expect(() => parseServeArgs(['--gpu-profiles', file], ROLES)).toThrow(
      `--gpu-profiles: ${file}: acme-x1.nodeSelector: needs at least one label (nodeSelector or anyOf)`,
    );
    writeFileSync(file, JSON.stringify({ 'acme-x1': { anyOf: [{ 'cloud.example/x': [] }] } }));
    expect(() => parseServeArgs(['--gpu-profiles', file], ROLES)).toThrow(
      `--gpu-profiles: ${file}: acme-x1.anyOf.0.cloud.example/x: needs a value`,
    );
    expect(() => parseServeArgs(['--gpu-profiles', join(dir, 'missing.json')], ROLES)).toThrow(
      /--gpu-profiles: cannot read .*missing\.json/,
    );
  });
});
