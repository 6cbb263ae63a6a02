import { usageKey } from '@bascule/keyspace';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from '@bascule/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, hasKubectl, waitFor } from '../controller/support/controller-harness.js';
import { startApiStack, type ApiStack } from './support/api-stack.js';

describe.skipIf(!hasKubectl)('control API on kube-sim: bascule apply lifecycle and tools', () => {
  let stack: ApiStack;
  let redis: Redis;
  let dir: string;
  const bascule = (args: string[], token?: string) => stack.bascule(args, token);

  beforeAll(async () => {
    stack = await startApiStack();
    ({ redis, dir } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('apply -> Ready -> describe -> configured -> unchanged -> diff -> delete', async () => {
    const model = join(EXAMPLES, 'model-llama-3-1-8b-instruct.yaml');
    // The Secret and the weight cache claim the examples' pods mount are kubectl's to create
    // (bascule apply skips them); without them the kubelet would not start those pods.
    await stack.h.kubectl([
      'apply',
      '-f',
      join(EXAMPLES, 'hf-token.yaml'),
      '-f',
      join(EXAMPLES, 'pvc-model-cache.yaml'),
    ]);
    const first = await bascule(['apply', '-f', EXAMPLES]);
    expect(first.code).toBe(0);
    // Secrets and the claim are kubectl's: skipped with a note, one line each.
    for (const l of first.stderr.trimEnd().split('\n'))
      expect(l).toMatch(
        /^(secret|persistentvolumeclaim)\/[a-z0-9-]+ skipped \(not a Bascule resource; use kubectl\)$/,
      );
    expect(first.stderr).toContain('secret/hf-token skipped');
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(12);
    for (const l of lines)
      expect(l).toMatch(/^(model|provider|route)\.bascule\.dev\/[a-z0-9-]+ created$/);
    expect(lines).toContain('model.bascule.dev/llama-3-1-8b-instruct created');
    // Every Model is Ready, or scaled to zero (0/0) until traffic arrives.
    await waitFor(
      'every example Ready or at zero via bascule get',
      async () => {
        const rows = (await bascule(['get', 'models'])).stdout.trimEnd().split('\n').slice(1);
        return (
          rows.length >= 7 &&
          // READY DESIRED STATUS, as kubectl prints them.
          rows.every((r) => /\sServing\s/.test(r) || /\s0\s+0\s+ScaledToZero\s/.test(r)) &&
          rows.some((r) => /^llama-3-1-8b-instruct\s.*\s1\s+1\s+Serving\s/.test(r))
        );
      },
      90_000,
    );
    const described = await bascule(['describe', 'model', 'llama-3-1-8b-instruct']);
    expect(described.code).toBe(0);
    expect(described.stdout).toMatch(/Ready\s+True/);
    expect(described.stdout).toMatch(/Endpoints:\n {2}POD/);
    // Routes and Providers: their spec as a person reads it and the controller's Ready condition.
    const route = await waitFor(
      'describe route chat shows Ready',
      async () => {
        const r = await bascule(['describe', 'route', 'chat']);
        return /Ready\s+True\s+Resolved/.test(r.stdout) ? r : undefined;
      },
      30_000,
    );
    expect(route.stdout).toMatch(/Strategy: +complexity \(threshold 0\.45\)/);
    expect(route.stdout).toMatch(/1 +llama-3-1-8b-instruct +model +simple/);
    expect(route.stdout).toMatch(/2 +openai\/gpt-5 +provider +complex/);
    expect(route.stdout).toMatch(/Budgets: +\$200\/day \(then self-hosted-only\)/);
    const provider = await bascule(['describe', 'provider', 'openai']);
    expect(provider.code).toBe(0);
    expect(provider.stdout).toMatch(/API key: +Secret openai-api-key, key api-key/);
    expect(provider.stdout).toMatch(/gpt-5-mini +0\.25 +2 /);
    expect(provider.stdout).not.toContain('REPLACE_WITH_YOUR_KEY');
    expect((await bascule(['apply', '-f', model])).stdout).toContain('unchanged');
    expect((await bascule(['diff', '-f', model])).code).toBe(0);
    const changed = join(dir, 'changed.yaml');
    const text = (await import('node:fs')).readFileSync(model, 'utf8');
    writeFileSync(changed, text.replace(/metadata:\n/, 'metadata:\n  labels:\n    team: ml\n'));
    const diff = await bascule(['diff', '-f', changed]);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('+    team: ml');
    expect((await bascule(['apply', '-f', changed])).stdout).toContain(
      'llama-3-1-8b-instruct configured',
    );
    expect((await bascule(['apply', '-f', changed])).stdout).toContain(
      'llama-3-1-8b-instruct unchanged',
    );
    const json = JSON.parse(
      (await bascule(['get', 'model', 'llama-3-1-8b-instruct', '-o', 'json'])).stdout,
    ) as { metadata: { labels: Record<string, string> } };
    expect(json.metadata.labels.team).toBe('ml');
    expect(await bascule(['delete', '-f', changed])).toMatchObject({
      code: 0,
      stdout: 'model.bascule.dev/llama-3-1-8b-instruct deleted\n',
    });
    const rest = await bascule(['delete', '-f', EXAMPLES]);
    expect(rest.stdout.trimEnd().split('\n').length).toBe(lines.length - 1);
    expect(rest.stderr).toMatch(/llama-3-1-8b-instruct.*not found/); // deleted just before
    const gone = await bascule(['get', 'model', 'llama-3-1-8b-instruct']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('not found');
  });

  it('bascule route explain, top, keys and usage against the API', async () => {
    const route = join(EXAMPLES, 'route-private-chat.yaml');
    const model = join(EXAMPLES, 'model-llama-3-1-8b-instruct.yaml');
    expect((await bascule(['apply', '-f', route, '-f', model])).code).toBe(0);
    await waitFor('Model Ready', async () =>
      /\sServing\s/.test((await bascule(['get', 'models'])).stdout),
    );
    const explain = await bascule([
      'route',
      'explain',
      'private-chat',
      '--prompt',
      'Summarise this contract.',
    ]);
    expect(explain.code).toBe(0);
    // qwen3-32b does not exist here: it is unresolved, and the Ready llama takes the request.
    expect(explain.stdout).toMatch(/^decision: send llama-3-1-8b-instruct \(/);
    expect(explain.stdout).toMatch(/qwen3-32b\s+unresolved/);
    const top = await bascule(['top', '--once']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/llama-3-1-8b-instruct\s+1\s+1\s+1 x nvidia-l4/);
    expect(top.stdout).toMatch(/nvidia-l4\s+2\s+1\s+1\s+0/);
    const created = await bascule([
      'keys',
      'create',
      'cli-key',
      '--tenant',
      'cli',
      '--budget',
      '5',
      '--period',
      'day',
      '--rpm',
      '60',
    ]);
    expect(created.code).toBe(0);
    const [, id, secret] =
      /^key (key_[0-9a-f]+) created \(tenant cli, role user\)\n(bsc-\S+)\n$/.exec(created.stdout) ??
      [];
    expect(secret).toBeDefined();
    const list = await bascule(['keys', 'list']);
    expect(list.stdout).toMatch(
      new RegExp(`${id}\\s+cli-key\\s+bsc-\\S+\\.\\.\\.\\s+cli\\s+user\\s+\\$5/day\\s+60`),
    );
    expect(list.stdout).not.toContain(secret);
    const day = new Date().toISOString().slice(0, 10);
    await redis.hset(usageKey(day, 'key', id!), {
      requests: 4,
      input_tokens: 100,
      output_tokens: 40,
      cost_usd: 0.25,
    });
    const usage = await bascule(['usage'], secret);
    expect(usage.code).toBe(0);
    expect(usage.stdout).toMatch(
      new RegExp(`${day}\\s+cli-key \\(${id}\\)\\s+4\\s+100\\s+40\\s+\\$0\\.2500`),
    );
    expect((await bascule(['get', 'models'], secret)).stderr).toContain(
      'needs a key with role admin or operator',
    );
    expect((await bascule(['keys', 'revoke', id!])).stdout).toBe(`key ${id} revoked\n`);
    expect((await bascule(['usage'], secret)).stderr).toContain('invalid or revoked API key');
    await bascule(['delete', 'route', 'private-chat']);
    await bascule(['delete', 'model', 'llama-3-1-8b-instruct']);
  });
});
