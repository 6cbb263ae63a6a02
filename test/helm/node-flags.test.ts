// Every launcher of the server starts Node with the gateway's flags (ADR 0041), and the flags
// do what they are there for: a young generation of 16 MB semi-spaces from the start.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATEWAY_NODE_FLAGS } from '@bascule/gateway';
import { SERVER_NODE_FLAGS } from '@bascule/local-stack';
import { ROOT } from './support/render-chart.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('the server process Node flags', () => {
  it('are on every launcher: the server binary, pnpm bascule-server and pnpm start', () => {
    expect(GATEWAY_NODE_FLAGS.length).toBeGreaterThan(0);
    const shebang = read('apps/control-plane/src/main.ts').split('\n')[0]!;
    expect(shebang).toBe(`#!/usr/bin/env -S node ${GATEWAY_NODE_FLAGS.join(' ')}`);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> })
      .scripts;
    expect(scripts['bascule-server']).toBe(
      `node ${GATEWAY_NODE_FLAGS.join(' ')} apps/control-plane/dist/main.js`,
    );
    expect(SERVER_NODE_FLAGS).toEqual(GATEWAY_NODE_FLAGS);
  });

  it('start Node with a 16 MB young generation (and Node accepts them)', () => {
    const probe =
      "const s = require('v8').getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');" +
      'process.stdout.write(String(s.space_size));';
    const withFlags = Number(execFileSync(process.execPath, [...GATEWAY_NODE_FLAGS, '-e', probe]));
    const without = Number(execFileSync(process.execPath, ['-e', probe]));
    expect(withFlags).toBeGreaterThanOrEqual(16 * 1024 * 1024);
    expect(without).toBeLessThan(withFlags);
  });
});
