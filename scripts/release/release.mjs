#!/usr/bin/env node
// The release recipe (docs/install.md, "Releasing"): one version for the image, both charts and
// the CLI; each artifact built from this checkout.
//
//   node scripts/release/release.mjs version          print the version, failing if any differ
//   node scripts/release/release.mjs server DIR       the image's /app: `pnpm deploy` of the
//                                                     control plane, production deps only
//   node scripts/release/release.mjs cli DIR          bascule-cli-VERSION.tgz (npm i -g it)
//   node scripts/release/release.mjs charts DIR       bascule-VERSION.tgz, bascule-crds-VERSION.tgz
//   node scripts/release/release.mjs image [--push]   docker buildx, linux/amd64 + linux/arm64
//   node scripts/release/release.mjs all DIR [--push] every one of the above
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packCli } from './pack-cli.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const IMAGE = 'ghcr.io/bascule/bascule';
export const PLATFORMS = 'linux/amd64,linux/arm64';

/** Every place that carries the version, and what it says. */
export function versions() {
  const json = (p) => JSON.parse(readFileSync(join(root, p), 'utf8')).version;
  const chart = (p, key) => {
    const m = new RegExp(`^${key}: ['"]?([^'"\\n]+)`, 'm').exec(
      readFileSync(join(root, p), 'utf8'),
    );
    return m?.[1];
  };
  return {
    'package.json': json('package.json'),
    'apps/cli/package.json': json('apps/cli/package.json'),
    'apps/control-plane/package.json': json('apps/control-plane/package.json'),
    'charts/bascule/Chart.yaml version': chart('charts/bascule/Chart.yaml', 'version'),
    'charts/bascule/Chart.yaml appVersion': chart('charts/bascule/Chart.yaml', 'appVersion'),
    'charts/bascule-crds/Chart.yaml version': chart('charts/bascule-crds/Chart.yaml', 'version'),
  };
}

export function releaseVersion() {
  const all = versions();
  const distinct = [...new Set(Object.values(all))];
  if (distinct.length !== 1)
    throw new Error(
      `versions differ: ${Object.entries(all)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
    );
  return distinct[0];
}

/** The image's /app, as the Dockerfile's build stage makes it (needs `pnpm build` first). */
export function deployServer(dir) {
  rmSync(dir, { recursive: true, force: true });
  execFileSync(
    'pnpm',
    ['--filter', '@bascule/control-plane', 'deploy', '--prod', '--legacy', '--prefer-offline', dir],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return dir;
}

/** Both charts as Helm packages: `helm package` when helm is there, else the same tar layout. */
export function packageCharts(dir) {
  const version = releaseVersion();
  const out = [];
  for (const name of ['bascule', 'bascule-crds']) {
    const file = join(dir, `${name}-${version}.tgz`);
    if (spawnSync('helm', ['version'], { stdio: 'ignore' }).status === 0) {
      execFileSync('helm', ['package', join(root, 'charts', name), '-d', dir], { stdio: 'ignore' });
    } else {
      execFileSync('tar', ['czf', file, '--exclude=.helmignore', '-C', join(root, 'charts'), name]);
    }
    out.push(file);
  }
  return out;
}

/** The multi-arch image build; runs it with --push when docker is there, else prints it. */
export function imageCommand(push) {
  const tag = `${IMAGE}:${releaseVersion()}`;
  return [
    'docker',
    'buildx',
    'build',
    '--platform',
    PLATFORMS,
    '-t',
    tag,
    ...(push ? ['--push'] : []),
    root,
  ];
}

function image(push) {
  const cmd = imageCommand(push);
  if (spawnSync('docker', ['buildx', 'version'], { stdio: 'ignore' }).status !== 0) {
    process.stdout.write(
      `docker buildx is not here; on a machine with it run:\n  ${cmd.join(' ')}\n`,
    );
    return;
  }
  execFileSync(cmd[0], cmd.slice(1), { stdio: 'inherit' });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, arg] = process.argv.slice(2);
  const push = process.argv.includes('--push');
  const dir = () => {
    if (!arg || arg.startsWith('--')) throw new Error(`${command} needs a directory`);
    mkdirSync(resolve(arg), { recursive: true });
    return resolve(arg);
  };
  try {
    if (command === 'version') process.stdout.write(`${releaseVersion()}\n`);
    else if (command === 'server') process.stdout.write(`${deployServer(join(dir(), 'app'))}\n`);
    else if (command === 'cli') process.stdout.write(`${await packCli(dir())}\n`);
    else if (command === 'charts') process.stdout.write(`${packageCharts(dir()).join('\n')}\n`);
    else if (command === 'image') image(push);
    else if (command === 'all') {
      const out = dir();
      process.stdout.write(`version ${releaseVersion()}\n`);
      process.stdout.write(`${packageCharts(out).join('\n')}\n${await packCli(out)}\n`);
      image(push);
    } else {
      process.stderr.write(
        'usage: release.mjs version | server DIR | cli DIR | charts DIR | image [--push] | all DIR [--push]\n',
      );
      process.exit(2);
    }
  } catch (err) {
    process.stderr.write(`release: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
