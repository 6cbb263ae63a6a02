import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { startApiHarness, type ApiHarness } from './api-harness.js';
import { hasKubectl } from '../support/has-kubectl.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const CRD_DIR = join(ROOT, 'manifests/crds');
const EXAMPLES_DIR = join(ROOT, 'manifests/examples');

if (!hasKubectl) console.warn('kube-sim kubectl tests skipped: no `kubectl` binary on PATH');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface CrdDoc {
  spec: {
    names: { kind: string; plural: string };
    versions: Array<{
      additionalPrinterColumns?: Array<{ name: string; priority?: number }>;
      subresources?: { scale?: { specReplicasPath: string } };
    }>;
  };
}

const crdFiles = readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml'));
const crds = crdFiles.map((f) => parseYaml(readFileSync(join(CRD_DIR, f), 'utf8')) as CrdDoc);
const modelCrd = crds.find((c) => c.spec.names.kind === 'Model')!;

function exampleOfKind(kind: string): {
  file: string;
  doc: { metadata: { name: string }; spec: Record<string, unknown> };
} {
  for (const file of readdirSync(EXAMPLES_DIR).sort()) {
    for (const d of parseAllDocuments(readFileSync(join(EXAMPLES_DIR, file), 'utf8'))) {
      const doc = d.toJS() as {
        kind?: string;
        metadata: { name: string };
        spec: Record<string, unknown>;
      };
      if (doc?.kind === kind) return { file, doc };
    }
  }
  throw new Error(`no example of kind ${kind}`);
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
      - name: sidecar
        image: busybox:1.36
`;

describe.skipIf(!hasKubectl)('kube-sim API with the real kubectl', () => {
  let h: ApiHarness;

  const kubectl = (...args: string[]): Promise<Run> =>
    new Promise((done) => {
      execFile(
        'kubectl',
        ['--kubeconfig', h.kubeconfig, '--cache-dir', join(h.dir, 'cache'), ...args],
        { env: { ...process.env, KUBECONFIG: h.kubeconfig }, timeout: 30_000 },
        (err, stdout, stderr) =>
          done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  const ok = async (...args: string[]): Promise<string> => {
    const r = await kubectl(...args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  const getJson = async <T>(...args: string[]): Promise<T> =>
    JSON.parse(await ok('get', ...args, '-o', 'json', '--show-managed-fields')) as T;

  beforeAll(async () => {
    h = await startApiHarness({ token: 'kubectl-token', tls: true });
    await writeFile(join(h.dir, 'deployment.yaml'), DEPLOYMENT);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('authenticates with the kubeconfig token over TLS and rejects a wrong one', async () => {
    expect(h.api.url).toMatch(/^https:/);
    expect(await ok('get', 'namespaces', '-o', 'name')).toContain('namespace/default');
    const wrong = await kubectl('--token', 'not-the-token', 'get', 'namespaces');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('You must be logged in to the server');
  });

  it('applies the CRDs and the examples', async () => {
    const out = await ok('apply', '-f', CRD_DIR);
    for (const crd of crds)
      expect(out).toContain(
        `customresourcedefinition.apiextensions.k8s.io/${crd.spec.names.plural}.bascule.dev created`,
      );
    const examples = await ok('apply', '-f', EXAMPLES_DIR);
    const { file, doc } = exampleOfKind('Model');
    expect(examples).toContain(`model.bascule.dev/${doc.metadata.name} created`);
    expect(file).toMatch(/\.yaml$/);
    const established = await ok(
      'get',
      'crd',
      'models.bascule.dev',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Established")].status}',
    );
    expect(established).toBe('True');
  });

  it('prints CRD printer columns in `get`', async () => {
    const out = await ok('get', 'models');
    const header = out
      .split('\n')[0]!
      .trim()
      .split(/\s{2,}/);
    const expected = [
      'NAME',
      ...modelCrd.spec.versions[0]!.additionalPrinterColumns!.filter((c) => !c.priority).map((c) =>
        c.name.toUpperCase(),
      ),
    ];
    expect(header).toEqual(expected);
    const { doc } = exampleOfKind('Model');
    const row = out.split('\n').find((l) => l.startsWith(`${doc.metadata.name} `));
    expect(row).toBeDefined();
    expect(row).toContain(String(doc.spec['engine']));
  });

  it('shows the stored object with defaults in `get -o yaml`', async () => {
    const { doc } = exampleOfKind('Model');
    const out = await ok('get', 'model', doc.metadata.name, '-o', 'yaml');
    const obj = parseYaml(out) as {
      metadata: { generation: number; uid: string };
      spec: Record<string, unknown>;
    };
    expect(obj.metadata.generation).toBe(1);
    expect(obj.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(obj.spec).toMatchObject(doc.spec);
    const specSchema = (
      modelCrd.spec.versions[0] as unknown as {
        schema: {
          openAPIV3Schema: {
            properties: { spec: { properties: Record<string, { default?: unknown }> } };
          };
        };
      }
    ).schema.openAPIV3Schema.properties.spec.properties;
    const defaulted = Object.entries(specSchema).filter(
      ([k, p]) => p.default !== undefined && doc.spec[k] === undefined,
    );
    expect(defaulted.length).toBeGreaterThan(0);
    for (const [k, p] of defaulted) {
      if (p.default !== null && typeof p.default === 'object')
        expect(obj.spec[k]).toMatchObject(p.default);
      else expect(obj.spec[k]).toEqual(p.default);
    }
  });

  it('rejects unknown fields with fieldValidation=Strict', async () => {
    const { doc } = exampleOfKind('Model');
    const bad = {
      apiVersion: 'bascule.dev/v1alpha1',
      kind: 'Model',
      metadata: { name: 'strict-check' },
      spec: { ...doc.spec, bogusField: 1 },
    };
    await writeFile(join(h.dir, 'bad.json'), JSON.stringify(bad));
    const r = await kubectl('apply', '-f', join(h.dir, 'bad.json'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown field "spec.bogusField"');
    const missing = await kubectl('get', 'model', 'strict-check');
    expect(missing.stderr).toContain('models.bascule.dev "strict-check" not found');
  });

  it('merges two managers with `apply --server-side` and reports a conflict', async () => {
    expect(await ok('apply', '--server-side', '-f', join(h.dir, 'deployment.yaml'))).toContain(
      'deployment.apps/web serverside-applied',
    );
    const second = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {team: ml}\n`;
    await writeFile(join(h.dir, 'second.yaml'), second);
    await ok(
      'apply',
      '--server-side',
      '--field-manager',
      'team-ml',
      '-f',
      join(h.dir, 'second.yaml'),
    );
    const d = await getJson<{
      metadata: { labels: Record<string, string>; managedFields: Array<{ manager: string }> };
      spec: { replicas: number };
    }>('deployment', 'web');
    expect(d.metadata.labels).toEqual({ app: 'web', team: 'ml' });
    expect(d.spec.replicas).toBe(2);
    expect(d.metadata.managedFields.map((m) => m.manager).sort()).toEqual(['kubectl', 'team-ml']);
    await writeFile(
      join(h.dir, 'conflict.yaml'),
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 9\n`,
    );
    const conflict = await kubectl(
      'apply',
      '--server-side',
      '--field-manager',
      'team-ml',
      '-f',
      join(h.dir, 'conflict.yaml'),
    );
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('conflict with "kubectl"');
    expect(conflict.stderr).toContain('.spec.replicas');
    await ok(
      'apply',
      '--server-side',
      '--force-conflicts',
      '--field-manager',
      'team-ml',
      '-f',
      join(h.dir, 'conflict.yaml'),
    );
    expect((await getJson<{ spec: { replicas: number } }>('deployment', 'web')).spec.replicas).toBe(
      9,
    );
  });

  it('patches with strategic merge (containers by name), merge and JSON patches', async () => {
    await ok(
      'patch',
      'deployment',
      'web',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.37"}]}}}}',
    );
    type Dep = {
      metadata: { labels: Record<string, string>; generation: number };
      spec: {
        replicas: number;
        template: { spec: { containers: Array<{ name: string; image: string }> } };
      };
    };
    let d = await getJson<Dep>('deployment', 'web');
    expect(d.spec.template.spec.containers).toEqual([
      expect.objectContaining({ name: 'web', image: 'nginx:1.27' }),
      expect.objectContaining({ name: 'sidecar', image: 'busybox:1.37' }),
    ]);
    const generation = d.metadata.generation;
    await ok(
      'patch',
      'deployment',
      'web',
      '--type',
      'merge',
      '-p',
      '{"metadata":{"labels":{"tier":"frontend"}}}',
    );
    d = await getJson<Dep>('deployment', 'web');
    expect(d.metadata.labels['tier']).toBe('frontend');
    expect(d.metadata.generation).toBe(generation);
    await ok(
      'patch',
      'deployment',
      'web',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.28"}]',
    );
    d = await getJson<Dep>('deployment', 'web');
    expect(d.spec.template.spec.containers[0]!.image).toBe('nginx:1.28');
    expect(d.metadata.generation).toBe(generation + 1);
    const bad = await kubectl(
      'patch',
      'deployment',
      'web',
      '--type',
      'json',
      '-p',
      '[{"op":"test","path":"/spec/replicas","value":12345}]',
    );
    expect(bad.code).not.toBe(0);
  });

  it('scales a Deployment and a Model through their scale subresources', async () => {
    expect(await ok('scale', 'deployment', 'web', '--replicas', '4')).toContain(
      'deployment.apps/web scaled',
    );
    const scaled = await getJson<{
      spec: { replicas: number };
      metadata: {
        managedFields: Array<{
          subresource?: string;
          fieldsV1: { 'f:spec'?: Record<string, unknown> };
        }>;
      };
    }>('deployment', 'web');
    expect(scaled.spec.replicas).toBe(4);
    const scaleEntry = scaled.metadata.managedFields.find((m) => m.subresource === 'scale');
    expect(scaleEntry?.fieldsV1['f:spec']).toHaveProperty('f:replicas');
    const { doc } = exampleOfKind('Model');
    await ok('scale', 'model', doc.metadata.name, '--replicas', '3');
    const path = modelCrd.spec.versions[0]!.subresources!.scale!.specReplicasPath;
    const value = await ok('get', 'model', doc.metadata.name, '-o', `jsonpath={${path}}`);
    expect(value).toBe('3');
  });

  it('creates namespaces, secrets and configmaps with kubectl create (protobuf bodies)', async () => {
    expect(await ok('create', 'namespace', 'ml-team')).toContain('namespace/ml-team created');
    await ok(
      'create',
      'secret',
      'generic',
      'hf-token',
      '--from-literal=HF_TOKEN=hf_secret_value',
      '-n',
      'ml-team',
    );
    await ok('create', 'configmap', 'settings', '--from-literal=mode=fast', '-n', 'ml-team');
    const secret = await getJson<{
      metadata: { namespace: string; generateName?: string };
      data: Record<string, string>;
    }>('secret', 'hf-token', '-n', 'ml-team');
    expect(Buffer.from(secret.data['HF_TOKEN']!, 'base64').toString()).toBe('hf_secret_value');
    expect(secret.metadata.namespace).toBe('ml-team');
    expect(secret.metadata.generateName).toBeUndefined();
    expect(
      (await getJson<{ data: Record<string, string> }>('configmap', 'settings', '-n', 'ml-team'))
        .data,
    ).toEqual({ mode: 'fast' });
    const unsupported = await kubectl('create', 'deployment', 'typed', '--image=nginx');
    expect(unsupported.code).not.toBe(0);
    expect(unsupported.stderr).toContain('send Deployment as JSON');
  });

  it('deletes objects', async () => {
    const { doc } = exampleOfKind('Model');
    expect(await ok('delete', 'model', doc.metadata.name)).toContain(
      `model.bascule.dev "${doc.metadata.name}" deleted`,
    );
    expect(await ok('delete', 'deployment', 'web')).toContain('deployment.apps "web" deleted');
    const gone = await kubectl('get', 'deployment', 'web');
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('deployments.apps "web" not found');
  });
});
