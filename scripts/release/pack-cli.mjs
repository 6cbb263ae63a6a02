#!/usr/bin/env node
// Packs the `bascule` CLI as a self-contained npm package: apps/cli bundled by esbuild into one
// file with every dependency inside (the workspace packages are not on the registry), a
// package.json with a `bin` and no dependencies, and `npm pack` of that into a tarball that
// `npm install -g ./bascule-cli-VERSION.tgz` installs anywhere Node 20 runs, offline.
//
//   node scripts/release/pack-cli.mjs [--out DIR]     (default DIR: dist/release)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'apps/cli');

/** Builds and packs; returns the tarball's absolute path. */
export async function packCli(outDir) {
  const pkg = JSON.parse(readFileSync(join(cli, 'package.json'), 'utf8'));
  const stage = join(outDir, 'bascule-cli');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'bin'), { recursive: true });
  // esbuild is a devDependency of apps/cli: resolve it from there.
  const esbuild = createRequire(join(cli, 'package.json'))('esbuild');
  await esbuild.build({
    entryPoints: [join(cli, 'src/main.ts')],
    outfile: join(stage, 'bin/bascule.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Workspace packages from their TypeScript sources (their `source` export condition).
    conditions: ['source'],
    define: { BASCULE_CLI_VERSION: JSON.stringify(pkg.version) },
    // CommonJS dependencies inside an ES module bundle still call require().
    banner: {
      js: "import { createRequire as __bsc_cr } from 'node:module'; const require = __bsc_cr(import.meta.url);",
    },
    legalComments: 'linked',
    logLevel: 'warning',
  });
  const manifest = {
    name: 'bascule-cli',
    version: pkg.version,
    description:
      'The bascule command line: manage Models, Routes, Providers and keys of a Bascule control plane',
    license: pkg.license,
    type: 'module',
    bin: { bascule: 'bin/bascule.mjs' },
    files: ['bin', 'README.md', 'LICENSE'],
    engines: { node: '>=20' },
    homepage: 'https://bascule.dev',
  };
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  cpSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));
  writeFileSync(
    join(stage, 'README.md'),
    [
      '# bascule-cli',
      '',
      'The `bascule` command line of [Bascule](https://bascule.dev). Point it at a control plane:',
      '',
      '```sh',
      'bascule login --server https://bascule-api.example.com --token bsc-...',
      'bascule get models',
      '```',
      '',
      'Contexts live in ~/.config/bascule/config.json (BASCULE_CONFIG overrides the path;',
      'BASCULE_SERVER and BASCULE_TOKEN override the current context).',
      '',
    ].join('\n'),
  );
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', outDir], {
    cwd: stage,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .at(-1);
  return join(outDir, name);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist/release' } } });
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  process.stdout.write(`${await packCli(out)}\n`);
}
