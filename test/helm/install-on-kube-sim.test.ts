// The install a GKE, an EKS and a GPU-operator user does, end to end on kube-sim labelled like
// each platform: the bascule-crds chart, then the bascule chart with the platform's values file;
// the control plane running from the image's /app (a `pnpm deploy` output, as the Dockerfile
// builds it) in simulated pods; every example Model Ready on the platform's GPU nodes; the
// `helm test` Pod succeeding; and the CLI, installed with `npm i -g` from its release tarball into
// a clean prefix and logged in with a context file, listing the Models through the API.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GATEWAY_NODE_FLAGS } from '@bascule/gateway';
import { startKubeSim, type KubeSim, type NodePlatform } from '@bascule/kube-sim';
import { loadSources, type Model } from '@bascule/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployServer } from '../../scripts/release/release.mjs';
import { packCli } from '../../scripts/release/pack-cli.mjs';
import { startRedisServer, type RunningRedisServer } from '../support/redis-server.js';
import { waitFor } from '@bascule/test-support';
import { basculeImageRuntime, type BasculeImageRuntime } from './support/bascule-image-runtime.js';
import { registerChartKinds } from './support/chart-kinds.js';
import { ROOT, renderText, renderUnavailable, valuesFile } from './support/render-chart.js';
import { hasKubectl } from '../support/has-kubectl.js';

const built = existsSync(join(ROOT, 'apps/control-plane/dist/main.js'));
const skip =
  renderUnavailable ??
  (hasKubectl ? undefined : 'kubectl is missing') ??
  (built ? undefined : 'run pnpm build first');
if (skip) console.warn(`skipping the install on kube-sim: ${skip}`);

const EXAMPLES = join(ROOT, 'manifests/examples');
// Nodes each platform sells (GKE has no A10G) plus a CPU node for the control plane.
const PLATFORMS: { platform: NodePlatform; values: string[]; nodes: string; unplaced: string[] }[] =
  [
    { platform: 'gfd', values: [], nodes: 'h100:2x8,h200:1x8,l4:2x1,a10g:1x1,cpu:1', unplaced: [] },
    {
      platform: 'gke',
      values: ['values-gke.yaml'],
      nodes: 'h100:2x8,h200:1x8,l4:2x1,cpu:1',
      unplaced: ['mistral-7b'],
    },
    {
      platform: 'eks',
      values: ['values-eks.yaml'],
      nodes: 'h100:2x8,h200:1x8,l4:2x1,a10g:1x1,cpu:1',
      unplaced: [],
    },
  ];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { env, timeout: 120_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

let dir: string;
let appDir: string;
let prefix: string;
let redis: RunningRedisServer;
let models: Model[] = [];

beforeAll(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'bsc-install-'));
  // The release artifacts, as scripts/release builds them.
  appDir = deployServer(join(dir, 'app'));
  const tarball = await packCli(dir);
  prefix = join(dir, 'prefix');
  const npm = await run(
    'npm',
    ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball],
    { PATH: process.env.PATH, HOME: join(dir, 'npm-home') },
  );
  expect(npm.stderr.replace(/npm (notice|warn)[^\n]*\n/g, '')).toBe('');
  expect(npm.code).toBe(0);
  redis = await startRedisServer();
  models = (await loadSources([EXAMPLES])).documents.flatMap((d) =>
    d.result?.status === 'valid' && d.result.resource.kind === 'Model' ? [d.result.resource] : [],
  );
}, 180_000);
afterAll(async () => {
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip !== undefined).each(PLATFORMS.map((p, i) => ({ ...p, db: i + 1 })))(
  'install on $platform-labelled kube-sim',
  ({ platform, values, nodes, unplaced, db }) => {
    let sim: KubeSim;
    let rt: BasculeImageRuntime;
    let home: string;
    let kubeconfig: string;
    const kubectl = (args: string[], input?: string) =>
      run('kubectl', args, { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig }, input);
    /** What ran in the pods and where they stand: the message of every failure here. */
    const diagnose = async () =>
      [
        ...rt.processes.map(
          (p) => `--- ${p.pod}/${p.container} (exit ${p.exitCode}):\n${p.output().slice(-3000)}`,
        ),
        (await kubectl(['get', 'pods', '-A', '-o', 'wide'])).stdout,
      ].join('\n');
    const ok = async (args: string[], input?: string) => {
      const r = await kubectl(args, input);
      if (r.code !== 0)
        throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}\n${await diagnose()}`);
      return r.stdout;
    };

    beforeAll(async () => {
      home = mkdtempSync(join(dir, `home-${platform}-`));
      kubeconfig = join(home, 'kubeconfig');
      rt = basculeImageRuntime(appDir, home);
      sim = await startKubeSim({
        nodes,
        platform,
        timeScale: 4,
        kubeconfigPath: kubeconfig,
        runtime: rt.runtime,
      });
      rt.attach(sim, kubeconfig);
      registerChartKinds(sim);
      await ok(['create', 'namespace', 'bascule']);
      // helm upgrade --install bascule-crds charts/bascule-crds
      await ok(
        ['apply', '--server-side', '-f', '-'],
        await renderText({
          chart: join(ROOT, 'charts/bascule-crds'),
          namespace: 'bascule',
          name: 'bascule-crds',
          ownership: true,
        }),
      );
      // helm upgrade --install bascule charts/bascule --skip-crds -f values-<platform>.yaml
      const release = await renderText({
        values: [...values.map(valuesFile), { redis: { external: { url: `${redis.url}/${db}` } } }],
        namespace: 'bascule',
        hooks: 'exclude',
        ownership: true,
      });
      writeFileSync(join(home, 'release.yaml'), release);
      await ok(['apply', '--server-side', '-f', join(home, 'release.yaml')]);
    }, 120_000);
    afterAll(async () => {
      await sim?.close();
    }, 180_000);

    it('runs the control plane from the deployed image root, Available', async () => {
      const out = await ok([
        '-n',
        'bascule',
        'wait',
        '--for=condition=Available',
        '--timeout=120s',
        'deployment/bascule',
      ]);
      expect(out).toContain('deployment.apps/bascule condition met');
      const server = rt.processes.findLast((p) =>
        p.argv.includes('--roles=controller,gateway,api,worker'),
      );
      // The image's ENTRYPOINT: node with the gateway's flags (ADR 0041), then the server.
      expect(server?.argv.slice(0, 2 + GATEWAY_NODE_FLAGS.length)).toEqual([
        'node',
        ...GATEWAY_NODE_FLAGS,
        '/app/dist/main.js',
      ]);
      expect(server?.exitCode).toBeUndefined();
    }, 180_000);

    it(`makes every example Model Ready on the GPU nodes${unplaced.length ? ` (but ${unplaced.join(', ')})` : ''}`, async () => {
      await ok(['apply', '-f', join(EXAMPLES, 'hf-token.yaml')]);
      await ok(['apply', '-f', join(EXAMPLES, 'pvc-model-cache.yaml')]);
      for (const m of models)
        await ok(['apply', '-f', join(EXAMPLES, `model-${m.metadata.name}.yaml`)]);
      await ok(['scale', ...models.map((m) => `model/${m.metadata.name}`), '--replicas=1']);
      const placed = models.filter((m) => !unplaced.includes(m.metadata.name));
      const out = await ok([
        'wait',
        '--for=condition=Ready',
        '--timeout=120s',
        ...placed.map((m) => `model/${m.metadata.name}`),
      ]);
      for (const m of placed)
        expect(out).toContain(`model.bascule.dev/${m.metadata.name} condition met`);
    }, 180_000);

    it('passes `helm test`: the test Pod succeeds, having listed Models through the API and gateway', async () => {
      await ok(
        ['apply', '-f', '-'],
        await renderText({ values: values.map(valuesFile), namespace: 'bascule', hooks: 'only' }),
      );
      const phase = await waitFor(
        'test pod finished',
        async () => {
          const p = (
            await ok([
              '-n',
              'bascule',
              'get',
              'pod',
              'bascule-test',
              '-o',
              'jsonpath={.status.phase}',
            ])
          ).trim();
          return p === 'Succeeded' || p === 'Failed' ? p : undefined;
        },
        60_000,
      );
      const test = rt.processes.find((p) => p.pod === 'bascule-test')!;
      expect(test.output()).toMatch(
        /ok api http:\/\/127\.[\d.]+:8081\/api\/v1\/models: \d+ listed/,
      );
      expect(test.output()).toMatch(/ok gateway http:\/\/127\.[\d.]+:8080\/v1\/models/);
      expect(phase).toBe('Succeeded');
    }, 180_000);

    it('lets the CLI from its tarball, in a clean prefix with a context file, get models', async () => {
      const key = Buffer.from(
        await ok([
          '-n',
          'bascule',
          'get',
          'secret',
          'bascule-admin',
          '-o',
          'jsonpath={.data.admin-key}',
        ]),
        'base64',
      ).toString();
      expect(key).toMatch(/^bsc-/);
      const api = await waitFor('api endpoint', async () => {
        const ip = (
          await ok([
            '-n',
            'bascule',
            'get',
            'endpointslices',
            '-l',
            'kubernetes.io/service-name=bascule-api',
            '-o',
            'jsonpath={.items[0].endpoints[0].addresses[0]}',
          ])
        ).trim();
        return ip ? `http://${ip}:8081` : undefined;
      });
      const cliHome = mkdtempSync(join(home, 'cli-'));
      // Nothing of the repository: the installed bin only, on a PATH with Node.
      const env = {
        PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
        HOME: cliHome,
        NO_COLOR: '1',
      };
      const login = await run('bascule', ['login', '--server', api, '--token', key], env);
      expect(login.stderr).toBe('');
      expect(login.code).toBe(0);
      const config = join(cliHome, '.config/bascule/config.json');
      expect(statSync(config).mode & 0o777).toBe(0o600);
      const got = await run('bascule', ['get', 'models'], env);
      expect(got.stderr).toBe('');
      expect(got.code).toBe(0);
      for (const m of models) expect(got.stdout).toContain(m.metadata.name);
      for (const m of models.filter((x) => !unplaced.includes(x.metadata.name)))
        expect(got.stdout).toMatch(
          new RegExp(`^${m.metadata.name}\\s+\\S+\\s+\\S+\\s+1\\s+1\\s+Serving\\s`, 'm'),
        );
    });
  },
);
