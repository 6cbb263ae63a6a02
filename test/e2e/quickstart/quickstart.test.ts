// The README's first command, literally: `node scripts/start.mjs` (what `pnpm start` runs after
// the build `pnpm test` already did) with a temp state dir and free ports; then the commands it
// prints, run as printed (curl, the openai SDK snippet, kubectl, bascule, the overflow recipe);
// then Ctrl-C (SIGINT), after which nothing it started is left running or listening.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@bascule/test-support';
import {
  alive,
  cleanEnv,
  descendants,
  has,
  listening,
  printed,
  printedCommand,
  printedHeredoc,
  sh,
  spawnStart,
  type StartProcess,
} from './support/start-process.js';
import { hasKubectl } from '../../support/has-kubectl.js';

const READY = 'Bascule is ready.';
// A Route applied with kubectl in the first run: kube-sim's state file keeps it for the second.
const KEPT_ROUTE = `apiVersion: bascule.dev/v1alpha1
kind: Route
metadata:
  name: kept-route
spec:
  targets:
    - model: llama-3-1-8b-instruct
`;
const hasRedis = has('redis-server');
const hasCurl = has('curl');
const FREE_PORTS = [
  '--gateway-port',
  '0',
  '--api-port',
  '0',
  '--metrics-port',
  '0',
  '--kube-port',
  '0',
];

describe.skipIf(!hasRedis)('quickstart: pnpm start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bsc-quickstart-'));
  const stateDir = join(dir, 'state');
  let start: StartProcess;
  let out = '';
  let gateway = '';
  let adminKey = '';
  let llamaUid = '';
  const kubectl = (args: string) =>
    sh(`kubectl --kubeconfig ${join(stateDir, 'kubeconfig')} ${args}`);

  beforeAll(async () => {
    start = spawnStart(['--state-dir', stateDir, ...FREE_PORTS]);
    await start.waitFor('Press Ctrl-C to stop everything.', 50_000);
    out = start.stdout();
    gateway = printed(out, 'gateway \\(OpenAI-compatible\\)');
    adminKey = printed(out, 'admin key');
  }, 60_000);

  afterAll(() => {
    if (start.child.exitCode === null) start.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows progress per Model, then the ready line, URLs and an admin key', () => {
    expect(out).toMatch(
      /✔ llama-3-1-8b-instruct\s+vllm\s+nvidia-l4:1\s+1 ready, 1 desired, Serving/,
    );
    expect(out).toMatch(/○ qwen3-32b .*ScaledToZero/);
    expect(out).toContain(READY);
    const roles = /serve --roles (\S+)/.exec(out)![1]!.split(',');
    expect(roles.sort()).toEqual(['api', 'controller', 'gateway', 'worker']);
    expect(gateway).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(adminKey).toMatch(/^bsc-[A-Za-z0-9_-]{20,}$/);
    expect(out).toContain(
      'providers                    openai (provider-sim), anthropic (provider-sim), gemini (provider-sim)',
    );
  });

  it('answers the printed curl', async () => {
    const cmd = printedCommand(out, 'curl -s ');
    let body: string;
    if (hasCurl) {
      const r = await sh(cmd);
      expect(r.code).toBe(0);
      body = r.stdout;
    } else {
      const data = /-d '([^']+)'/.exec(cmd)![1]!;
      const res = await fetch(`${gateway}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: data,
      });
      body = await res.text();
    }
    const reply = JSON.parse(body) as {
      choices: { message: { content: string } }[];
      usage: { completion_tokens: number };
    };
    expect(reply.choices[0]!.message.content.length).toBeGreaterThan(0);
    expect(reply.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('answers the printed openai SDK snippet (a complex prompt goes to GPT-5) and the SDK itself', async () => {
    const snippet = printedHeredoc(out, "node --input-type=module <<'EOF'");
    const r = await sh(snippet);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^openai\/gpt-5 -> \S/);

    const client = new OpenAI({ baseURL: gateway, apiKey: adminKey, maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'Say hello.' }] })
      .withResponse();
    expect(response.headers.get('x-bascule-target')).toBe('llama-3-1-8b-instruct');
    expect(data.choices[0]!.message.content!.length).toBeGreaterThan(0);
    const bad = new OpenAI({
      baseURL: gateway,
      apiKey: 'bsc-not-a-real-key-000000000000',
      maxRetries: 0,
    });
    await expect(
      bad.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'Hi' }] }),
    ).rejects.toMatchObject({ status: 401 });
  });

  it.skipIf(!hasKubectl)('lists the Models with the printed kubectl command', async () => {
    const r = await sh(printedCommand(out, 'kubectl --kubeconfig '));
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/llama-3-1-8b-instruct\s+vllm\s+nvidia-l4:1\s+1\s+1\s+Serving/);
    expect(r.stdout).toMatch(/qwen3-32b\s+vllm\s+nvidia-h100:2\s+0\s+0\s+ScaledToZero/);
  });

  it('lists the Models with the printed bascule commands', async () => {
    const exportLine = printedCommand(out, 'export BASCULE_SERVER=');
    const r = await sh(`${exportLine}\nnode apps/cli/dist/main.js get models`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/llama-3-1-8b-instruct\s+vllm\s+nvidia-l4:1\s+1\s+1\s+Serving\s/);
  });

  it.skipIf(!hasKubectl || !hasCurl)(
    'overflows "chat" to GPT-5 mini with the printed recipe, and comes back',
    async () => {
      const lines = out.split('\n');
      const at = lines.findIndex((l) => l.startsWith('Trigger an overflow'));
      const recipe = lines.slice(at).join('\n');
      const down = printedCommand(recipe, 'kubectl --kubeconfig');
      const probe = printedCommand(recipe, 'curl -si');
      const up = printedCommand(
        recipe.slice(recipe.indexOf(probe) + probe.length),
        'kubectl --kubeconfig',
      );
      expect(down).toContain('state=down');
      expect(up).toContain('state=up');
      expect((await sh(down)).code).toBe(0);
      // The node controller notices within a moment; until then Llama may still answer.
      const seen = await waitFor(
        'an overflowed answer',
        async () => {
          const out = (await sh(probe)).stdout;
          return out.includes('overflow:') && out;
        },
        10_000,
      );
      expect(seen).toMatch(/x-bascule-target: openai\/gpt-5-mini/);
      expect(seen).toMatch(/x-bascule-route-reason: overflow:/);
      expect((await sh(up)).code).toBe(0);
      // Traffic returns to the cluster once Llama is back (a deadline, not a sleep).
      const target = await waitFor(
        'traffic back on Llama',
        async () => {
          const t = /x-bascule-target: (\S+)/.exec((await sh(probe)).stdout)?.[1];
          return t === 'llama-3-1-8b-instruct' && t;
        },
        30_000,
      );
      expect(target).toBe('llama-3-1-8b-instruct');
    },
  );

  it('runs the printed batch snippet to completion, and bascule lists the batch', async () => {
    const section = out.slice(out.indexOf('Run a batch'));
    const r = await sh(printedHeredoc(section, "node --input-type=module <<'EOF'"));
    expect(r.stderr).toBe('');
    const [head, ...rest] = r.stdout.trim().split('\n');
    expect(head).toMatch(/^(batch_\S+) completed \{"total":3,"completed":3,"failed":0\}$/);
    const lines = rest.map(
      (l) => JSON.parse(l) as { custom_id: string; response: { status_code: number } },
    );
    expect(lines.map((l) => l.custom_id).sort()).toEqual(['q0', 'q1', 'q2']);
    expect(lines.every((l) => l.response.status_code === 200)).toBe(true);
    const id = head!.split(' ')[0]!;
    const exportLine = printedCommand(out, 'export BASCULE_SERVER=');
    const list = await sh(`${exportLine}\nnode apps/cli/dist/main.js get batches`);
    expect(list.stderr).toBe('');
    expect(list.stdout).toContain(id);
  });

  it('refuses a second instance on the same state dir, and names a taken port', async () => {
    const second = spawnStart(['--state-dir', stateDir, ...FREE_PORTS]);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toMatch(/another `pnpm start` \(pid \d+\) is using/);
    const port = new URL(gateway).port;
    const third = spawnStart([
      '--state-dir',
      join(dir, 'other'),
      ...FREE_PORTS.slice(2),
      '--gateway-port',
      port,
    ]);
    expect(await third.exited).toBe(1);
    expect(third.stderr()).toContain(`--gateway-port: 127.0.0.1:${port} is already in use`);
  });

  it.skipIf(!hasKubectl)('applies a Route with kubectl (kept for the second run)', async () => {
    const r = await kubectl(`apply -f - <<'EOF'\n${KEPT_ROUTE}EOF`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('route.bascule.dev/kept-route created');
    llamaUid = (await kubectl('get model llama-3-1-8b-instruct -o jsonpath={.metadata.uid}'))
      .stdout;
    expect(llamaUid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stops everything on Ctrl-C (SIGINT) and exits 0', async () => {
    const pid = start.child.pid!;
    const children = descendants(pid);
    expect(children.length).toBeGreaterThanOrEqual(2); // redis-server and bascule-server
    const ports = [
      gateway,
      printed(out, 'control API'),
      printed(out, 'metrics, health'),
      printed(out, 'Kubernetes \\(kube-sim\\)'),
      printed(out, 'Redis').replace('redis:', 'http:'),
    ].map((u) => Number(new URL(u).port));
    for (const p of ports) expect(await listening('127.0.0.1', p)).toBe(true);
    start.child.kill('SIGINT');
    expect(await start.exited).toBe(0);
    expect(start.stdout()).toContain('stopped.');
    for (const c of children) expect(alive(c)).toBe(false);
    for (const p of ports) expect(await listening('127.0.0.1', p)).toBe(false);
  });

  it('reuses the state dir on a second run; after a kill -9, the next run stops the leftovers', async () => {
    const again = spawnStart(['--state-dir', stateDir, '--no-wait', ...FREE_PORTS]);
    await again.waitFor('Press Ctrl-C to stop everything.', 30_000);
    expect(printed(again.stdout(), 'admin key')).toBe(adminKey);
    if (hasKubectl) {
      // The cluster's objects are the same ones (not re-created): the Route, the Model's uid.
      expect(again.stdout()).toMatch(/\d+ objects from .*kube\/state\.json/);
      expect((await kubectl('get route kept-route -o name')).stdout.trim()).toBe(
        'route.bascule.dev/kept-route',
      );
      const uid = await kubectl('get model llama-3-1-8b-instruct -o jsonpath={.metadata.uid}');
      expect(uid.stdout).toBe(llamaUid);
    }
    const left = descendants(again.child.pid!);
    expect(left.length).toBeGreaterThanOrEqual(2);
    again.child.kill('SIGKILL');
    await again.exited;

    const fresh = spawnStart(['--state-dir', stateDir, '--no-wait', '--clean', ...FREE_PORTS]);
    await fresh.waitFor('Press Ctrl-C to stop everything.', 30_000);
    expect(fresh.stdout()).toContain('(cleaned)');
    expect(fresh.stdout()).toMatch(/stopped \d+ process\(es\) a killed earlier run left behind/);
    for (const pid of left) expect(alive(pid)).toBe(false);
    expect(printed(fresh.stdout(), 'admin key')).not.toBe(adminKey);
    if (hasKubectl) {
      expect(fresh.stdout()).not.toContain('kube/state.json');
      const gone = await kubectl('get route kept-route -o name');
      expect(gone.stderr).toContain('NotFound');
    }
    fresh.child.kill('SIGINT');
    expect(await fresh.exited).toBe(0);
  });
});

describe('quickstart: pnpm start -- --help and bad flags', () => {
  it('lists the flags', async () => {
    const help = spawnStart(['--help']);
    expect(await help.exited).toBe(0);
    for (const flag of [
      '--clean',
      '--all-examples',
      '--gateway-port',
      '--state-dir',
      '--redis-url',
    ])
      expect(help.stdout()).toContain(flag);
  });

  it('names a bad flag value and exits 2', async () => {
    const bad = spawnStart(['--gateway-port', 'eighty']);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain('--gateway-port: "eighty" is not a port number');
  });

  it.skipIf(!hasRedis)(
    'names a corrupt kube-sim state file and the way out, without a stack trace',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bsc-quickstart-'));
      try {
        mkdirSync(join(dir, 'kube'));
        writeFileSync(join(dir, 'kube', 'state.json'), '{"kind": "KubeSimState", "vers');
        const r = spawnStart(['--state-dir', dir, ...FREE_PORTS]);
        expect(await r.exited).toBe(1);
        expect(r.stderr()).toContain(
          `cannot load the cluster state in ${join(dir, 'kube', 'state.json')}: not valid JSON`,
        );
        expect(r.stderr()).toContain('`pnpm start -- --clean`');
        expect(r.stderr()).not.toMatch(/^\s+at /m);
        expect(r.stdout()).toContain('stopped.');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('explains what to do when there is neither redis-server nor REDIS_URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bsc-quickstart-'));
    try {
      const env = { ...cleanEnv(), PATH: '/nonexistent' };
      const r = spawnStart(['--state-dir', dir, ...FREE_PORTS], env);
      expect(await r.exited).toBe(1);
      expect(r.stderr()).toContain('redis-server was not found on PATH and REDIS_URL is not set');
      expect(r.stdout()).toContain('stopped.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
