// Renders charts/bascule with test/helm/render (Helm's engine: text/template + sprig), built
// once per content of its source and shared by every test file through a file in the temp dir.
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CHART = join(ROOT, 'charts/bascule');
const SOURCE = join(ROOT, 'test/helm/render/main.go');

/** Why the chart cannot be rendered here (go or the Debian Go packages missing), or undefined. */
export const renderUnavailable: string | undefined = (() => {
  const missing =
    spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0
      ? 'go is missing: apt-get install -y golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v3-dev'
      : !existsSync('/usr/share/gocode/src/github.com/Masterminds/sprig')
        ? 'sprig is missing: apt-get install -y golang-github-masterminds-sprig-dev golang-gopkg-yaml.v3-dev'
        : undefined;
  // Skipped on a developer's machine, never in CI (.ci/run installs them).
  if (missing && process.env.CI === 'true') throw new Error(`CI=true: ${missing}`);
  return missing;
})();

/** The renderer binary, built on first use (a temp file keyed by the source's hash). */
export function rendererPath(): string {
  const hash = createHash('sha256').update(readFileSync(SOURCE)).digest('hex').slice(0, 16);
  const bin = join(tmpdir(), `bascule-helm-render-${hash}`);
  if (existsSync(bin)) return bin;
  const dir = mkdtempSync(join(tmpdir(), 'helm-render-build-'));
  try {
    const out = join(dir, 'helm-render');
    const r = spawnSync('go', ['build', '-o', out, './test/helm/render'], {
      cwd: ROOT,
      env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOFLAGS: '' },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`cannot build test/helm/render: ${r.stderr}`);
    renameSync(out, bin);
    return bin;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface KubeDoc {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
}

export interface RenderOptions {
  /** Chart directory (default charts/bascule). */
  chart?: string;
  /** Value files (objects), applied after the chart's values.yaml, in order. */
  values?: Record<string, unknown>[];
  name?: string;
  namespace?: string;
  notes?: boolean;
  /** Hook documents: include (default, as helm template), exclude (the release), only. */
  hooks?: 'include' | 'exclude' | 'only';
  /** Add Helm's ownership annotations, as helm install does. */
  ownership?: boolean;
  /** Objects lookup finds, as if in the cluster (default none, as helm template). */
  cluster?: object[];
}

/** A chart values file (values-gke.yaml, ...) as an object. */
export function valuesFile(name: string): Record<string, unknown> {
  return parse(readFileSync(join(CHART, name), 'utf8')) as Record<string, unknown>;
}

/** Runs the renderer; resolves to its stdout, or rejects with its stderr (Helm's error text). */
export function renderText(options: RenderOptions = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'helm-values-'));
  const chart = options.chart ?? CHART;
  const args = ['--chart', chart];
  if (existsSync(join(chart, 'values.yaml'))) args.push('-f', join(chart, 'values.yaml'));
  (options.values ?? []).forEach((v, i) => {
    const file = join(dir, `values-${i}.yaml`);
    writeFileSync(file, JSON.stringify(v));
    args.push('-f', file);
  });
  args.push('--name', options.name ?? 'bascule', '--namespace', options.namespace ?? 'bascule');
  if (options.notes) args.push('--notes');
  if (options.hooks) args.push('--hooks', options.hooks);
  if (options.ownership) args.push('--ownership');
  if (options.cluster) {
    const file = join(dir, 'cluster.yaml');
    writeFileSync(file, options.cluster.map((o) => JSON.stringify(o)).join('\n---\n'));
    args.push('--lookup', file);
  }
  return new Promise<string>((resolve, reject) => {
    execFile(rendererPath(), args, { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      if (err) reject(new Error(stderr.trim() || err.message));
      else resolve(stdout);
    });
  });
}

/** Parses a multi-document YAML stream; throws on any YAML error; drops empty documents. */
export function parseDocs(text: string): KubeDoc[] {
  const docs = parseAllDocuments(text);
  const out: KubeDoc[] = [];
  for (const d of docs) {
    if (d.errors.length > 0) throw new Error(`YAML error: ${d.errors[0]!.message}`);
    const value = d.toJS() as KubeDoc | null;
    if (value !== null) out.push(value);
  }
  return out;
}

export async function render(options: RenderOptions = {}): Promise<KubeDoc[]> {
  return parseDocs(await renderText(options));
}

/** The one object of a kind and name (throws naming what is there when absent). */
export function find(docs: KubeDoc[], kind: string, name: string): KubeDoc {
  const d = docs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!d)
    throw new Error(
      `no ${kind} ${name} in: ${docs.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`,
    );
  return d;
}
