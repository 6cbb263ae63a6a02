// Contracts point down: every package and app sits in a declared layer (layers.ts) and depends
// (package.json or an import in src/) only on packages below it; production code never imports a
// simulator; every declared workspace dependency is imported and every import declared. A new
// sideways or upward import, or a new package nobody placed, fails here.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LAYERS, SIMULATORS, TEST_ONLY, type Layer } from './layers.js';
import { layeringViolations } from './layering-rules.js';
import { readWorkspace, type WorkspacePackage } from './workspace-graph.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the workspace layering', () => {
  const packages = readWorkspace(ROOT);

  it('reads every package and app, and what their sources import', () => {
    const dirs = packages.map((p) => p.dir);
    for (const dir of ['packages/spec', 'packages/queue', 'apps/control-plane'])
      expect(dirs).toContain(dir);
    const queue = packages.find((p) => p.dir === 'packages/queue')!;
    expect([...queue.imports.keys()]).toContain('@bascule/router');
  });

  it('holds: no package in no layer, no sideways or upward dependency, no unused one', () => {
    expect(
      layeringViolations({ packages, layers: LAYERS, simulators: SIMULATORS, testOnly: TEST_ONLY }),
    ).toEqual([]);
  });

  it('places each directory in one layer only', () => {
    const all = LAYERS.flatMap((l) => l.members);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('layeringViolations', () => {
  const layers: Layer[] = [
    { name: 'bottom', why: '', members: ['packages/a', 'packages/helpers'] },
    { name: 'middle', why: '', members: ['packages/b', 'packages/c'] },
    { name: 'sims', why: '', members: ['packages/b-sim'] },
    { name: 'top', why: '', members: ['apps/x', 'apps/x-sim'] },
  ];
  const pkg = (dir: string, o: Partial<WorkspacePackage> = {}): WorkspacePackage => ({
    dir,
    name: `@bascule/${dir.split('/')[1]}`,
    dependencies: [],
    devDependencies: [],
    imports: new Map(),
    ...o,
  });
  const uses = (dir: string, ...deps: string[]) =>
    pkg(dir, {
      dependencies: deps.map((d) => `@bascule/${d}`),
      imports: new Map(deps.map((d) => [`@bascule/${d}`, `${dir}/src/index.ts`])),
    });
  const check = (...packages: WorkspacePackage[]) =>
    layeringViolations({
      packages,
      layers,
      simulators: ['packages/b-sim', 'apps/x-sim'],
      testOnly: ['packages/helpers'],
    });
  const base = [pkg('packages/a'), pkg('packages/c'), pkg('packages/helpers')];

  it('accepts downward dependencies, simulators importing production code', () => {
    expect(
      check(
        ...base,
        uses('packages/b', 'a'),
        uses('packages/b-sim', 'b'),
        uses('apps/x-sim', 'b-sim'),
      ),
    ).toEqual([]);
  });

  it('names a sideways and an upward dependency', () => {
    expect(check(...base, uses('packages/b', 'c'))).toEqual([
      'packages/b depends sideways on @bascule/c (packages/b/src/index.ts): both in layer "middle"; move the shared contract down',
    ]);
    expect(check(...base, uses('packages/b', 'a'), uses('packages/a', 'b'))).toEqual([
      'packages/a depends upward on @bascule/b (packages/a/src/index.ts): "middle" is above "bottom"',
    ]);
  });

  it('names a package in no layer', () => {
    expect(check(...base, pkg('packages/new'))).toEqual([
      'packages/new (@bascule/new) is in no layer: place it in test/architecture/layers.ts',
    ]);
  });

  it('refuses production code that imports a simulator, even from above it', () => {
    expect(check(...base, pkg('packages/b-sim'), uses('apps/x', 'b-sim'))).toEqual([
      'apps/x depends on the simulator @bascule/b-sim (apps/x/src/index.ts): production code never imports simulators',
    ]);
  });

  it('names an unused declared dependency, an undeclared import, a test helper in dependencies', () => {
    const b = pkg('packages/b', {
      dependencies: ['@bascule/a', '@bascule/helpers'],
      imports: new Map([
        ['@bascule/c', 'packages/b/src/x.ts'],
        ['@bascule/helpers', 'packages/b/src/x.test.ts'],
      ]),
    });
    expect(check(...base, pkg('apps/x'), b)).toEqual([
      'packages/b depends sideways on @bascule/c (packages/b/src/x.ts): both in layer "middle"; move the shared contract down',
      'packages/b declares @bascule/helpers in dependencies: test helpers are devDependencies only',
      'packages/b declares @bascule/a but its sources never import it: remove it',
      'packages/b imports @bascule/c (packages/b/src/x.ts) without declaring it',
    ]);
  });
});
