/**
 * The layering rules as a pure function over the workspace graph and the declared layers: what
 * test/architecture/layering.test.ts asserts is empty. Each violation is one sentence naming
 * the package, the dependency and the rule.
 */
import type { Layer } from './layers.js';
import type { WorkspacePackage } from './workspace-graph.js';

export interface LayeringInput {
  packages: readonly WorkspacePackage[];
  layers: readonly Layer[];
  simulators: readonly string[];
  testOnly: readonly string[];
}

export function layeringViolations(input: LayeringInput): string[] {
  const out: string[] = [];
  const layerOf = new Map<string, number>();
  input.layers.forEach((l, i) => l.members.forEach((dir) => layerOf.set(dir, i)));
  const byName = new Map(input.packages.map((p) => [p.name, p]));
  const layerName = (dir: string) => input.layers[layerOf.get(dir)!]!.name;

  for (const p of input.packages) {
    if (!layerOf.has(p.dir)) {
      out.push(`${p.dir} (${p.name}) is in no layer: place it in test/architecture/layers.ts`);
      continue;
    }
    const declared = new Set([...p.dependencies, ...p.devDependencies]);
    const named = new Set([...declared, ...p.imports.keys()]);
    named.delete(p.name);
    for (const dep of [...named].sort()) {
      const target = byName.get(dep);
      const where = p.imports.get(dep) ?? `${p.dir}/package.json`;
      if (!target) {
        out.push(`${p.dir} names ${dep} (${where}), which is no workspace package`);
        continue;
      }
      if (!layerOf.has(target.dir)) continue; // reported once, as a package in no layer
      const from = layerOf.get(p.dir)!;
      const to = layerOf.get(target.dir)!;
      if (to === from)
        out.push(
          `${p.dir} depends sideways on ${dep} (${where}): both in layer "${layerName(p.dir)}"; move the shared contract down`,
        );
      else if (to > from)
        out.push(
          `${p.dir} depends upward on ${dep} (${where}): "${layerName(target.dir)}" is above "${layerName(p.dir)}"`,
        );
      if (input.simulators.includes(target.dir) && !input.simulators.includes(p.dir))
        out.push(
          `${p.dir} depends on the simulator ${dep} (${where}): production code never imports simulators`,
        );
      if (input.testOnly.includes(target.dir) && p.dependencies.includes(dep))
        out.push(`${p.dir} declares ${dep} in dependencies: test helpers are devDependencies only`);
    }
    for (const dep of [...declared].sort()) {
      if (dep !== p.name && !p.imports.has(dep))
        out.push(`${p.dir} declares ${dep} but its sources never import it: remove it`);
    }
    for (const dep of [...p.imports.keys()].sort()) {
      if (dep !== p.name && !declared.has(dep) && byName.has(dep))
        out.push(`${p.dir} imports ${dep} (${p.imports.get(dep)}) without declaring it`);
    }
  }
  return out;
}
