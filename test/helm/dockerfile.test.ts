// What can be checked of the Dockerfile without a Docker engine: the files it copies exist and are
// not excluded by .dockerignore, the runtime stage is Node 20 slim, runs as the chart's non-root
// user, ships production dependencies only, and starts the binary the chart runs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GATEWAY_NODE_FLAGS } from '@bascule/gateway';
import { describe, expect, it } from 'vitest';
import { CHART, ROOT } from './support/render-chart.js';

interface Instruction {
  op: string;
  args: string;
  stage: number;
}

function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  for (const raw of text.replace(/\\\n/g, ' ').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [op, ...rest] = line.split(/\s+/);
    if (op!.toUpperCase() === 'FROM') stage++;
    out.push({ op: op!.toUpperCase(), args: rest.join(' '), stage });
  }
  return out;
}

const dockerfile = instructions(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

/** Whether .dockerignore excludes a path (last matching rule wins, `!` re-includes). */
function ignored(path: string): boolean {
  let out = false;
  for (const rule of ignore) {
    const negate = rule.startsWith('!');
    const source = (negate ? rule.slice(1) : rule)
      .replace(/\./g, '\\.')
      .replace(/\*\*\//g, '@@')
      .replace(/\*/g, '[^/]*')
      .replace(/@@/g, '(.*/)?');
    if (new RegExp(`^${source}(/.*)?$`).test(path)) out = !negate;
  }
  return out;
}

describe('Dockerfile', () => {
  const last = Math.max(...dockerfile.map((i) => i.stage));
  const runtime = dockerfile.filter((i) => i.stage === last);

  it('copies only files that exist and that .dockerignore lets through', () => {
    const sources = dockerfile
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(3);
    for (const s of sources) {
      expect(existsSync(join(ROOT, s)), s).toBe(true);
      expect(ignored(s), s).toBe(false);
    }
    expect(ignored('node_modules')).toBe(true);
    expect(ignored('packages/spec/node_modules')).toBe(true);
    expect(ignored('test/helm/chart-render.test.ts')).toBe(true);
  });

  it('is multi-stage with a Node 20 slim runtime and production dependencies only', () => {
    expect(last).toBeGreaterThanOrEqual(1);
    expect(runtime[0]!.args).toMatch(/^node:20[-.\w]*slim\b/);
    const deploy = dockerfile.find((i) => i.op === 'RUN' && i.args.includes(' deploy '));
    expect(deploy?.args).toContain('--prod');
    expect(deploy?.args).toContain('@bascule/control-plane');
    expect(runtime.filter((i) => i.op === 'RUN')).toEqual([]);
    expect(runtime.find((i) => i.op === 'ENV')?.args).toContain('NODE_ENV=production');
  });

  it('runs as the numeric non-root user the chart expects, starting the bascule binary', () => {
    const user = runtime.filter((i) => i.op === 'USER').at(-1)?.args ?? 'root';
    const [uid, gid] = user.split(':').map(Number);
    const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as {
      podSecurityContext: { runAsUser: number; runAsGroup: number };
    };
    expect(uid).toBe(values.podSecurityContext.runAsUser);
    expect(gid).toBe(values.podSecurityContext.runAsGroup);
    expect(uid).toBeGreaterThan(0);
    const bin = (
      JSON.parse(readFileSync(join(ROOT, 'apps/control-plane/package.json'), 'utf8')) as {
        bin: Record<string, string>;
      }
    ).bin['bascule-server'];
    const entry = JSON.parse(runtime.find((i) => i.op === 'ENTRYPOINT')!.args) as string[];
    // With the gateway's Node flags (ADR 0041; node-flags.test.ts checks the other launchers).
    expect(entry).toEqual(['node', ...GATEWAY_NODE_FLAGS, `/app/${bin!.replace(/^\.\//, '')}`]);
    // No CMD: the chart passes the role flags as args.
    expect(runtime.find((i) => i.op === 'CMD')).toBeUndefined();
    const exposed = runtime
      .find((i) => i.op === 'EXPOSE')!
      .args.split(/\s+/)
      .map(Number);
    const v = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as {
      gateway: { port: number };
      api: { port: number };
      metricsPort: number;
    };
    expect(exposed).toEqual([v.gateway.port, v.api.port, v.metricsPort]);
  });
});
