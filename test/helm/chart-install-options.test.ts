// What a real install needs of the chart: ServiceAccounts it creates or names, the admin Secret
// created (from values, or a random key kept across upgrades) or checked with a clear failure,
// the `helm test` hook, Helm's ownership annotations in manifests/install.yaml, and the CRD chart.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  CHART,
  ROOT,
  find,
  parseDocs,
  render,
  renderUnavailable,
  type KubeDoc,
} from './support/render-chart.js';

interface PodSpecView {
  restartPolicy?: string;
  serviceAccountName?: string;
  containers: {
    command: string[];
    securityContext: object;
    env: { name: string; value?: string; valueFrom?: object }[];
  }[];
}
const spec = (d: KubeDoc) => d['spec'] as PodSpecView;
const podSpec = (d: KubeDoc) => (d['spec'] as { template: { spec: PodSpecView } }).template.spec;
const secretKey = (docs: KubeDoc[]) =>
  Buffer.from(
    (find(docs, 'Secret', 'bascule-admin')['data'] as Record<string, string>)['admin-key']!,
    'base64',
  ).toString();
const NAMESPACE = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } };
const adminSecret = (annotations: Record<string, string>, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'bascule-admin', namespace: 'bascule', annotations },
  data,
});

describe.skipIf(renderUnavailable !== undefined)('chart install options', () => {
  it('serviceAccount: one per Deployment by default; one named; none created but named', async () => {
    const split = await render({ values: [{ splitRoles: true }] });
    const sas = split.filter((d) => d.kind === 'ServiceAccount').map((d) => d.metadata.name);
    expect(sas.sort()).toEqual([
      'bascule-api',
      'bascule-controller',
      'bascule-gateway',
      'bascule-worker',
    ]);
    const named = await render({
      values: [
        {
          splitRoles: true,
          serviceAccount: {
            name: 'llm-cp',
            annotations: { 'iam.gke.io/gcp-service-account': 'x' },
          },
        },
      ],
    });
    const one = named.filter((d) => d.kind === 'ServiceAccount');
    expect(one.map((d) => d.metadata.name)).toEqual(['llm-cp']);
    expect(one[0]!.metadata.annotations).toEqual({
      'iam.gke.io/gcp-service-account': 'x',
    });
    for (const d of named.filter((x) => x.kind === 'Deployment'))
      expect(podSpec(d).serviceAccountName).toBe('llm-cp');
    for (const b of named.filter((x) => x.kind.endsWith('RoleBinding')))
      expect((b['subjects'] as { name: string }[])[0]!.name).toBe('llm-cp');
    const existing = await render({
      values: [{ serviceAccount: { create: false, name: 'platform-sa' }, rbac: { create: false } }],
    });
    expect(existing.filter((d) => d.kind === 'ServiceAccount')).toEqual([]);
    expect(podSpec(find(existing, 'Deployment', 'bascule')).serviceAccountName).toBe('platform-sa');
    await expect(render({ values: [{ serviceAccount: { create: false } }] })).rejects.toThrow(
      'serviceAccount.create=false needs serviceAccount.name',
    );
  });

  it('admin Secret: from auth.adminKey, checked for its format', async () => {
    const key = 'bsc-0123456789abcdefghijKLMN';
    expect(secretKey(await render({ values: [{ auth: { adminKey: key } }] }))).toBe(key);
    await expect(render({ values: [{ auth: { adminKey: 'hunter2' } }] })).rejects.toThrow(
      'auth.adminKey must be bsc- followed by at least 20 of [A-Za-z0-9_-]',
    );
  });

  it('admin Secret: a random key, kept on upgrade, never taken from another owner', async () => {
    const fresh = secretKey(await render());
    expect(fresh).toMatch(/^bsc-[A-Za-z0-9]{40}$/);
    expect(secretKey(await render())).not.toBe(fresh);
    const kept = 'bsc-keptkeptkeptkeptkeptkept';
    const ours = adminSecret(
      { 'meta.helm.sh/release-name': 'bascule' },
      { 'admin-key': Buffer.from(kept).toString('base64') },
    );
    const upgraded = await render({ cluster: [NAMESPACE, ours] });
    expect(secretKey(upgraded)).toBe(kept);
    expect(find(upgraded, 'Secret', 'bascule-admin').metadata.annotations).toMatchObject({
      'helm.sh/resource-policy': 'keep',
    });
    // A Secret the user made: left as it is (not rendered, so Helm does not try to adopt it).
    const theirs = adminSecret({}, { 'admin-key': Buffer.from(kept).toString('base64') });
    const docs = await render({ cluster: [NAMESPACE, theirs] });
    expect(docs.filter((d) => d.kind === 'Secret')).toEqual([]);
  });

  it('admin Secret: with create=false, a missing Secret or key fails the install by name', async () => {
    const values = [{ auth: { adminKeySecret: { create: false } } }];
    // helm template (no cluster): nothing to check, nothing created.
    expect((await render({ values })).filter((d) => d.kind === 'Secret')).toEqual([]);
    await expect(render({ values, cluster: [NAMESPACE] })).rejects.toThrow(
      /Secret bascule\/bascule-admin \(auth\.adminKeySecret\.name\) does not exist: create it with\n\s+kubectl -n bascule create secret generic bascule-admin --from-literal=admin-key=/,
    );
    await expect(
      render({ values, cluster: [NAMESPACE, adminSecret({}, { other: 'eA==' })] }),
    ).rejects.toThrow('Secret bascule/bascule-admin has no key "admin-key"');
    const ok = await render({
      values,
      cluster: [NAMESPACE, adminSecret({}, { 'admin-key': 'eA==' })],
    });
    expect(ok.filter((d) => d.kind === 'Secret')).toEqual([]);
  });

  it('helm test: a hook Pod that lists Models through the API and gateway with the admin key', async () => {
    const hooks = await render({ hooks: 'only' });
    expect(hooks.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['Pod/bascule-test']);
    const pod = hooks[0]!;
    expect(pod.metadata.annotations).toMatchObject({
      'helm.sh/hook': 'test',
    });
    const s = spec(pod);
    expect(s.restartPolicy).toBe('Never');
    const c = s.containers[0]!;
    expect(c.command.slice(0, 3)).toEqual(['node', '--input-type=module', '-e']);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
    expect(Object.fromEntries(c.env.map((e) => [e.name, e]))).toMatchObject({
      BASCULE_API_URL: { value: 'http://bascule-api.bascule.svc:8081' },
      BASCULE_GATEWAY_URL: { value: 'http://bascule-gateway.bascule.svc:80' },
      BASCULE_TOKEN: { valueFrom: { secretKeyRef: { name: 'bascule-admin', key: 'admin-key' } } },
    });
    expect((await render({ hooks: 'exclude' })).some((d) => d.kind === 'Pod')).toBe(false);
    expect(await render({ hooks: 'only', values: [{ tests: { enabled: false } }] })).toEqual([]);
  });

  it('manifests/install.yaml: every release object carries Helm ownership; CRDs as bascule-crds', () => {
    const docs = parseDocs(readFileSync(join(ROOT, 'manifests/install.yaml'), 'utf8'));
    expect(docs.length).toBeGreaterThan(12);
    expect(docs.some((d) => d.kind === 'Pod' || d.kind === 'Secret')).toBe(false);
    for (const d of docs) {
      const crd = d.kind === 'CustomResourceDefinition';
      expect(d.metadata.annotations, `${d.kind}/${d.metadata.name}`).toMatchObject({
        'meta.helm.sh/release-name': crd ? 'bascule-crds' : 'bascule',
        'meta.helm.sh/release-namespace': 'bascule',
      });
      expect(d.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
    }
  });

  it('charts/bascule-crds holds the chart CRDs, versioned with it and kept on uninstall', () => {
    const dir = join(ROOT, 'charts/bascule-crds');
    const meta = parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as { version: string };
    const main = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as { version: string };
    expect(meta.version).toBe(main.version);
    const files = readdirSync(join(CHART, 'crds')).sort();
    expect(readdirSync(join(dir, 'templates')).sort()).toEqual(files);
    for (const f of files) {
      const crd = parse(readFileSync(join(dir, 'templates', f), 'utf8')) as KubeDoc;
      const original = parse(readFileSync(join(CHART, 'crds', f), 'utf8')) as KubeDoc;
      expect(crd['spec']).toEqual(original['spec']);
      expect(crd.metadata.annotations).toEqual({
        'helm.sh/resource-policy': 'keep',
      });
    }
  });
});
