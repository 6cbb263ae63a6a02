// The simulators' layering (ADR 0030): simulators and the launcher may import production packages;
// production packages and apps never import a simulator, the launcher, the sim CLI, or the tests'
// helpers (@bascule/test-support is for *.test.ts files only). Read from the workspace's own
// package.json files and sources, so a new sideways import fails here.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SIMULATORS = [
  '@bascule/kube-sim',
  '@bascule/engine-sim',
  '@bascule/provider-sim',
  '@bascule/replay',
  '@bascule/local-stack',
  '@bascule/sim-cli',
];
const TEST_ONLY = '@bascule/test-support';

interface Workspace {
  dir: string;
  name: string;
  dependencies: string[];
}

function workspaces(): Workspace[] {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(ROOT, group)).flatMap((d) => {
      const file = join(ROOT, group, d, 'package.json');
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as {
          name: string;
          dependencies?: Record<string, string>;
        };
        return [
          {
            dir: join(group, d),
            name: pkg.name,
            dependencies: Object.keys(pkg.dependencies ?? {}),
          },
        ];
      } catch {
        return [];
      }
    }),
  );
}

/** Every non-test TypeScript source under dir (no dist, no node_modules). */
function productSources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      if (e === 'node_modules' || e === 'dist') continue;
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e) && !/\.test\.tsx?$/.test(e)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(@bascule\/[a-z-]+)/g)].map(
    (m) => m[1]!,
  );

describe('simulator layering (ADR 0030)', () => {
  const all = workspaces();
  const production = all.filter((w) => !SIMULATORS.includes(w.name) && w.name !== TEST_ONLY);

  it('finds the simulators and the production packages', () => {
    const names = all.map((w) => w.name);
    for (const s of SIMULATORS) expect(names).toContain(s);
    expect(production.map((w) => w.name)).toContain('@bascule/gateway');
  });

  it('no production package or app depends on a simulator or on the test helpers', () => {
    const bad = production.flatMap((w) =>
      w.dependencies
        .filter((d) => SIMULATORS.includes(d) || d === TEST_ONLY)
        .map((d) => `${w.name} -> ${d}`),
    );
    expect(bad).toEqual([]);
  });

  it('no production source imports a simulator, and no product source imports the test helpers', () => {
    const bad = all.flatMap((w) =>
      productSources(join(ROOT, w.dir, 'src')).flatMap((file) =>
        importsOf(file)
          .filter(
            (i) => i === TEST_ONLY || (!SIMULATORS.includes(w.name) && SIMULATORS.includes(i)),
          )
          .map((i) => `${file.slice(ROOT.length)} -> ${i}`),
      ),
    );
    expect(bad).toEqual([]);
  });
});
