import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '@bascule/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * bascule's contexts, overrides, output and errors against a real HTTP server that records what
 * it was asked (the full API is exercised in test/api/api.test.ts).
 */
describe('bascule config, contexts and output', () => {
  let dir: string;
  let server: Server;
  let url: string;
  const seen: { auth?: string; path?: string }[] = [];

  const bascule = async (args: string[], env: Record<string, string> = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: Readable.from(['']),
      env: { BASCULE_CONFIG: join(dir, 'config.json'), ...env },
    });
    return { code, stdout, stderr };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bascule-config-'));
    server = createServer((req, res) => {
      seen.push({ auth: req.headers.authorization, path: req.url });
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/api/v1/models?'))
        res.end(
          JSON.stringify({
            items: [
              {
                metadata: { name: 'llama', creationTimestamp: new Date().toISOString() },
                spec: { engine: 'vllm', gpus: 'nvidia-l4:1' },
                status: {
                  conditions: [{ type: 'Ready', status: 'True', reason: 'Serving' }],
                  replicas: { desired: 2, ready: 1 },
                },
              },
              {
                metadata: { name: 'a-much-longer-model-name' },
                spec: { engine: 'tgi', gpus: 'nvidia-h100:2' },
              },
            ],
          }),
        );
      else if (req.url?.startsWith('/api/v1/routes/'))
        res.writeHead(404).end(
          JSON.stringify({
            error: {
              code: 'not_found',
              message: 'Route "x" not found in namespace default',
              requestId: 'r',
            },
          }),
        );
      else res.writeHead(500).end('not json');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('without a server it says how to log in (exit 1)', async () => {
    const r = await bascule(['get', 'models']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'run "bascule login --server URL --token KEY" or set BASCULE_SERVER',
    );
  });

  it('login writes a 0600 context; BASCULE_TOKEN and BASCULE_SERVER override it', async () => {
    const login = await bascule([
      'login',
      '--server',
      url,
      '--token',
      'bsc-from-config',
      '-n',
      'team',
    ]);
    expect(login.code).toBe(0);
    const file = join(dir, 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      currentContext: 'default',
      contexts: { default: { server: url, namespace: 'team' } },
    });
    await bascule(['get', 'models']);
    expect(seen.at(-1)).toEqual({
      auth: 'Bearer bsc-from-config',
      path: '/api/v1/models?namespace=team',
    });
    await bascule(['get', 'models', '-n', 'other'], { BASCULE_TOKEN: 'bsc-from-env' });
    expect(seen.at(-1)).toEqual({
      auth: 'Bearer bsc-from-env',
      path: '/api/v1/models?namespace=other',
    });
    const elsewhere = await bascule(['get', 'models'], { BASCULE_SERVER: 'http://127.0.0.1:9' });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/^error: cannot reach http:\/\/127\.0\.0\.1:9: /);
  });

  it('tables are aligned like kubectl, without colour when not a TTY', async () => {
    const r = await bascule(['get', 'models']);
    const lines = r.stdout.trimEnd().split('\n');
    // kubectl's columns for a Model (the CRD's printer columns), word for word, and its adapters.
    expect(lines[0]).toMatch(/^NAME\s+ENGINE\s+GPUS\s+READY\s+DESIRED\s+STATUS\s+ADAPTERS\s+AGE$/);
    const col = lines[0]!.indexOf('ENGINE');
    expect(lines.slice(1).map((l) => l.slice(col, col + 4))).toEqual(['vllm', 'tgi ']);
    expect(lines[1]).toMatch(/llama\s+vllm\s+nvidia-l4:1\s+1\s+2\s+Serving\s+-\s+\d+s/);
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('server errors come back as one line with exit 1; a non-JSON answer is named', async () => {
    const r = await bascule(['route', 'explain', 'x', '--prompt', 'hi']);
    expect(r).toMatchObject({
      code: 1,
      stderr: 'error: Route "x" not found in namespace default\n',
    });
    const bad = await bascule(['keys', 'list']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('HTTP 500: not json');
  });

  it('a broken config file is named', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"contexts": {"x": {"server": "not a url"}}}');
    const r = await bascule(['get', 'models'], { BASCULE_CONFIG: file });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}: .contexts.x.server:`);
  });

  it('completion prints a bash script naming every command', async () => {
    const r = await bascule(['completion', 'bash']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('complete -F _bascule bascule');
    for (const c of ['apply', 'diff', 'delete', 'get', 'describe', 'top', 'keys', 'usage', 'login'])
      expect(r.stdout).toContain(c);
  });

  it('every command has --help', async () => {
    const top = await bascule(['--help']);
    const names = [...top.stdout.matchAll(/^ {2}(\S+)\s{2,}/gm)].map((m) => m[1]!);
    expect(names).toEqual(
      expect.arrayContaining([
        'apply',
        'diff',
        'delete',
        'get',
        'describe',
        'route',
        'top',
        'keys',
        'usage',
        'login',
        'completion',
      ]),
    );
    for (const n of names) {
      const r = await bascule([n, '--help']);
      expect(r.code, n).toBe(0);
      expect(r.stdout).toContain(`bascule ${n}`);
    }
  });
});
