import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '@bascule/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MODEL = `apiVersion: bascule.dev/v1alpha1
kind: Model
metadata:
  name: m
spec:
  source: hf://meta-llama/Llama-3.1-8B-Instruct
  engine: vllm
  gpus: nvidia-l4:1
`;

/** apply colours its results only on a terminal, and never with NO_COLOR. */
describe('bascule apply colour', () => {
  let dir: string;
  let server: Server;
  let url: string;
  let received = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bascule-colour-'));
    writeFileSync(join(dir, 'm.yaml'), MODEL);
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received = body;
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            results: [{ kind: 'Model', name: 'm', namespace: 'default', result: 'created' }],
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (isTTY: boolean, extra: Record<string, string> = {}) => {
    let stdout = '';
    const code = await runCli(['apply', '-f', join(dir, 'm.yaml')], {
      stdout: Object.assign({ write: (s: string) => (stdout += s) }, { isTTY }),
      stderr: { write: () => true },
      stdin: Readable.from(['']),
      env: {
        BASCULE_SERVER: url,
        BASCULE_TOKEN: 'bsc-x',
        BASCULE_CONFIG: join(dir, 'none.json'),
        ...extra,
      },
    });
    return { code, stdout };
  };

  it('sends the validated manifest as YAML and prints the result', async () => {
    const r = await run(false);
    expect(r).toEqual({ code: 0, stdout: 'model.bascule.dev/m created\n' });
    expect(received).toContain('name: m');
    expect(received).toContain('gpus: nvidia-l4:1');
  });

  it('colours on a TTY, not with NO_COLOR', async () => {
    expect((await run(true)).stdout).toBe('model.bascule.dev/m \x1b[32mcreated\x1b[0m\n');
    expect((await run(true, { NO_COLOR: '1' })).stdout).toBe('model.bascule.dev/m created\n');
  });
});
