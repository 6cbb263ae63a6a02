/**
 * Reads the workspace's dependency graph: each package's and app's declared @bascule/*
 * dependencies (package.json) and the @bascule/* modules its sources name (every string literal
 * under src/, read with the TypeScript parser, so comments do not count and `import()`,
 * `require()` and `require.resolve()` do).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface WorkspacePackage {
  /** e.g. `packages/queue`. */
  dir: string;
  name: string;
  dependencies: readonly string[];
  devDependencies: readonly string[];
  /** Workspace package names its sources name, with one file that names each. */
  imports: ReadonlyMap<string, string>;
}

const SCOPE = /^(@bascule\/[a-z0-9-]+)(\/.*)?$/;

export function readWorkspace(root: string): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const group of ['packages', 'apps']) {
    for (const entry of readdirSync(join(root, group)).sort()) {
      const dir = `${group}/${entry}`;
      const manifest = join(root, dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      const scoped = (deps?: Record<string, string>) =>
        Object.keys(deps ?? {}).filter((d) => d.startsWith('@bascule/'));
      out.push({
        dir,
        name: pkg.name,
        dependencies: scoped(pkg.dependencies),
        devDependencies: scoped(pkg.devDependencies),
        imports: sourceImports(join(root, dir, 'src'), root),
      });
    }
  }
  return out;
}

function sourceImports(src: string, root: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('@bascule/')) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        const m = SCOPE.exec(node.text);
        if (m && !found.has(m[1]!)) found.set(m[1]!, relative(root, file));
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory())
      return f === 'node_modules' || f === 'dist' ? [] : sourceFiles(p);
    return /\.(ts|tsx|mts|cts|js|mjs)$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}
