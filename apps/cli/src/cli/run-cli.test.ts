import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const examples = fileURLToPath(new URL('../../../../manifests/examples', import.meta.url));

async function bascule(args: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([stdin]),
    env: {},
  });
  return { code, stdout, stderr };
}

const MODEL = `apiVersion: bascule.dev/v1alpha1
kind: Model
metadata:
  name: llama-3-1-8b
spec:
  source: hf://meta-llama/Llama-3.1-8B-Instruct
  engine: vllm
  gpus: nvidia-l4:1
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bascule-'));
  await writeFile(join(dir, 'good.yaml'), MODEL);
  await writeFile(join(dir, 'bad.yaml'), MODEL.replace('gpus: nvidia-l4:1', 'gpus: l4'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bascule validate', () => {
  it('prints one line per object and exits 0 for the examples', async () => {
    const r = await bascule(['validate', '-f', examples]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('model/llama-3-1-8b-instruct valid\n');
    expect(r.stdout).toContain('route/private-chat valid\n');
    expect(r.stdout).toContain('secret/openai-api-key skipped (not a Bascule resource)\n');
  });

  it('exits 1 with file:line:col, Kind/name and the JSON path', async () => {
    const file = join(dir, 'bad.yaml');
    const r = await bascule(['validate', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `${file}:8:9: Model/llama-3-1-8b .spec.gpus: must be "<gpu-type>:<count>", e.g. "nvidia-h100:2" or "nvidia-l4:1"\n1 error found\n`,
    );
  });

  it('reads stdin with -f - and accepts several -f', async () => {
    const r = await bascule(['validate', '-f', '-', '-f', join(dir, 'good.yaml')], MODEL);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('model/llama-3-1-8b valid\nmodel/llama-3-1-8b valid\n');
    const bad = await bascule(['validate', '-f', '-'], 'kind: [');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^<stdin>:1:\d+: yaml: /);
  });

  it('-o json gives machine-readable results', async () => {
    const r = await bascule(['validate', '-o', 'json', '-f', dir]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      valid: boolean;
      objects: { file: string; status: string; errors: { path: string; line: number }[] }[];
    };
    expect(out.valid).toBe(false);
    expect(out.objects.map((o) => [o.file.endsWith('bad.yaml'), o.status])).toEqual([
      [true, 'invalid'],
      [false, 'valid'],
    ]);
    expect(out.objects[0]!.errors[0]).toMatchObject({ path: '.spec.gpus', line: 8, col: 9 });
  });

  it('a missing file is an error (1), a missing flag a usage error (2)', async () => {
    const missing = await bascule(['validate', '-f', join(dir, 'nope.yaml')]);
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toContain(
      `${join(dir, 'nope.yaml')}: cannot read: no such file or directory`,
    );
    const usage = await bascule(['validate']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe(
      "error: flag -f is required: a file, a directory, or - for stdin\nSee 'bascule validate --help'.\n",
    );
  });
});

describe('bascule usage', () => {
  it('--help on every command and at the top', async () => {
    const top = await bascule(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/validate\s+Check Model/);
    for (const command of ['validate', 'version']) {
      const r = await bascule([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`bascule ${command}`);
      expect(r.stdout).toContain('-h, --help');
      expect(await bascule(['help', command])).toEqual(r);
    }
  });

  it('unknown commands, flags, arguments and formats exit 2', async () => {
    expect(await bascule(['frobnicate'])).toMatchObject({
      code: 2,
      stderr: 'error: unknown command "frobnicate"\nSee \'bascule --help\'.\n',
    });
    expect(await bascule(['validate', '--bogus'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown flag "--bogus"') as unknown,
    });
    expect(await bascule(['validate', '-f'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('needs a value') as unknown,
    });
    expect(await bascule(['version', 'extra'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unexpected argument "extra"') as unknown,
    });
    expect(await bascule(['version', '-o', 'yaml'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown output format "yaml"') as unknown,
    });
    const none = await bascule([]);
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toContain('Usage:\n  bascule <command> [flags]');
  });

  it('version prints text and json', async () => {
    const text = await bascule(['version']);
    expect(text.stdout).toMatch(/^bascule \d+\.\d+\.\d+ \(bascule\.dev\/v1alpha1, node v\d+/);
    const json = JSON.parse((await bascule(['version', '-o', 'json'])).stdout) as {
      apiVersion: string;
    };
    expect(json.apiVersion).toBe('bascule.dev/v1alpha1');
  });
});
