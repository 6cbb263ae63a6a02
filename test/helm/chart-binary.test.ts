// The rendered Deployments start the binary the way it expects: their args parse with the real
// `bascule-server` flag parser (including the --gpu-profiles file from the ConfigMap), and every
// BASCULE_* variable the chart sets is one the control plane reads.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLE_NAMES, parseServeArgs } from '@bascule/control-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, find, render, renderUnavailable, type KubeDoc } from './support/render-chart.js';
import { VALUE_SETS } from './support/value-sets.js';

interface Container {
  args: string[];
  env?: { name: string; value?: string }[];
}

/**
 * The environment a container starts with: the shared ConfigMap, then its literal env entries
 * (a `$(VAR)` reference stands for a Secret's value; Secrets themselves are not rendered here).
 */
function envOf(docs: KubeDoc[], c: Container): Record<string, string> {
  const env: Record<string, string> = {
    ...(find(docs, 'ConfigMap', 'bascule')['data'] as Record<string, string>),
  };
  for (const e of c.env ?? [])
    if (e.value !== undefined) env[e.name] = e.value.replace(/\$\((\w+)\)/g, 'from-secret');
  return env;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

const read = sources(join(ROOT, 'apps/control-plane/src'))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
const rendered = new Map<string, KubeDoc[]>();
let dir: string;

describe.skipIf(renderUnavailable !== undefined)(
  'rendered Deployments and the bascule binary',
  () => {
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'chart-binary-'));
      for (const [name, values] of Object.entries(VALUE_SETS))
        rendered.set(name, await render({ values }));
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it.each(Object.keys(VALUE_SETS))('%s: args parse with `bascule-server`', (set) => {
      const docs = rendered.get(set)!;
      const profiles = docs.find(
        (d) => d.kind === 'ConfigMap' && d.metadata.name.endsWith('-gpu-profiles'),
      );
      const profileFile = join(dir, `${set.replace(/\s+/g, '-')}.json`);
      if (profiles)
        writeFileSync(
          profileFile,
          (profiles['data'] as Record<string, string>)['gpu-profiles.json']!,
        );
      for (const d of docs.filter((x) => x.kind === 'Deployment')) {
        const c = (d['spec'] as { template: { spec: { containers: Container[] } } }).template.spec
          .containers[0]!;
        const args = c.args.map((a) =>
          a.replace('$(POD_NAME)', 'pod-0').replace('/etc/bascule/gpu-profiles.json', profileFile),
        );
        // The flags and the Deployment's environment, parsed as the binary does at start.
        const env = envOf(docs, c);
        const parsed = parseServeArgs(args, [...ROLE_NAMES], env);
        expect(parsed.kind).toBe('serve');
        if (parsed.kind !== 'serve') continue;
        expect(parsed.config.gateway.port).toBe(Number(env['BASCULE_GATEWAY_PORT']));
        expect(parsed.config.api.port).toBe(Number(env['BASCULE_API_PORT']));
        expect(parsed.config.redisUrl).toBe(env['BASCULE_REDIS_URL']);
        const roles = args
          .find((a) => a.startsWith('--roles='))!
          .slice('--roles='.length)
          .split(',');
        expect(parsed.config.roles).toEqual(roles);
        expect(parsed.config.identity).toBe('pod-0');
        if (roles.includes('controller') && profiles) {
          const names = Object.keys(
            JSON.parse(
              (profiles['data'] as Record<string, string>)['gpu-profiles.json']!,
            ) as object,
          );
          expect(names.length).toBeGreaterThan(0);
          for (const n of names) expect(parsed.config.gpuProfileTable?.[n], n).toBeDefined();
        }
      }
    });

    it('every BASCULE_* variable the chart sets is read by the control plane', () => {
      const names = new Set<string>();
      for (const docs of rendered.values()) {
        for (const [k] of Object.entries(
          find(docs, 'ConfigMap', 'bascule')['data'] as Record<string, string>,
        ))
          names.add(k);
        for (const d of docs.filter((x) => x.kind === 'Deployment')) {
          const c = (d['spec'] as { template: { spec: { containers: Container[] } } }).template.spec
            .containers[0]!;
          for (const e of c.env ?? []) if (e.name.startsWith('BASCULE_')) names.add(e.name);
        }
      }
      expect(names.size).toBeGreaterThan(8);
      expect([...names].filter((n) => !read.includes(n))).toEqual([]);
    });
  },
);
