// The chart rendered with the defaults and four value sets: every document parses and validates
// (Kubernetes schemas, our CRDs), the expected objects are there, RBAC stays inside an explicit
// allow-list, and every container runs locked down.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  find,
  render,
  renderText,
  renderUnavailable,
  type KubeDoc,
} from './support/render-chart.js';
import { validateAll } from './support/validate-objects.js';
import { VALUE_SETS } from './support/value-sets.js';

if (renderUnavailable) console.warn(`skipping chart render tests: ${renderUnavailable}`);

/** Every rule any Role or ClusterRole may grant: "scope apiGroup resource verb". */
const RBAC_ALLOW = new Set(
  [
    ['cluster', '', 'nodes', 'list watch'],
    ['cluster', '', 'pods', 'list watch'],
    ['any', 'bascule.dev', 'models', 'get list watch patch create delete'],
    ['any', 'bascule.dev', 'providers', 'get list watch create patch delete'],
    ['any', 'bascule.dev', 'routes', 'get list watch create patch delete'],
    ['any', 'bascule.dev', 'models/status', 'patch'],
    ['any', 'bascule.dev', 'providers/status', 'patch'],
    ['any', 'bascule.dev', 'routes/status', 'patch'],
    ['any', 'bascule.dev', 'models/scale', 'get update'],
    ['any', 'bascule.dev', 'models/finalizers', 'update'],
    ['any', 'apps', 'deployments', 'get list watch create patch'],
    ['any', '', 'services', 'get list watch create patch'],
    ['any', '', 'events', 'create list'],
    ['namespace', 'coordination.k8s.io', 'leases', 'get create update'],
    ['namespace', '', 'secrets', 'get list watch'],
  ].flatMap(([scope, group, resource, verbs]) =>
    verbs!.split(' ').map((v) => `${scope} ${group} ${resource} ${v}`),
  ),
);

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

function grants(docs: KubeDoc[]): string[] {
  const out: string[] = [];
  for (const d of docs.filter((x) => x.kind === 'Role' || x.kind === 'ClusterRole')) {
    for (const r of d['rules'] as Rule[]) {
      for (const g of r.apiGroups)
        for (const res of r.resources)
          for (const v of r.verbs)
            out.push(`${d.kind === 'Role' ? 'namespace' : 'cluster'} ${g} ${res} ${v}`);
    }
  }
  return out;
}

function allowed(grant: string): boolean {
  const [scope, ...rest] = grant.split(' ');
  return (
    RBAC_ALLOW.has(grant) ||
    RBAC_ALLOW.has(`any ${rest.join(' ')}`) ||
    (scope === 'namespace' && RBAC_ALLOW.has(`cluster ${rest.join(' ')}`))
  );
}

const rendered = new Map<string, KubeDoc[]>();

describe.skipIf(renderUnavailable !== undefined)('chart rendering', () => {
  beforeAll(async () => {
    for (const [name, values] of Object.entries(VALUE_SETS))
      rendered.set(name, await render({ values }));
  });

  it.each(Object.keys(VALUE_SETS))(
    '%s: every document validates against its schema',
    async (set) => {
      const docs = rendered.get(set)!;
      expect(docs.length).toBeGreaterThan(8);
      expect(await validateAll(docs)).toEqual([]);
      for (const d of docs.filter(
        (x) => x.kind !== 'ClusterRole' && x.kind !== 'ClusterRoleBinding',
      ))
        expect(d.metadata.namespace, `${d.kind}/${d.metadata.name}`).toBe('bascule');
    },
  );

  it('defaults: one Deployment with every role, bundled Redis, services, least-privilege RBAC', () => {
    const docs = rendered.get('defaults')!;
    const deployments = docs.filter((d) => d.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name)).toEqual(['bascule']);
    const args = container(deployments[0]!).args as string[];
    expect(args).toContain('--roles=controller,gateway,api,worker');
    expect(env(deployments[0]!)['BASCULE_REDIS_URL']).toBe('redis://bascule-redis:6379');
    find(docs, 'StatefulSet', 'bascule-redis');
    for (const s of ['gateway', 'api', 'metrics', 'redis']) find(docs, 'Service', `bascule-${s}`);
    find(docs, 'PodDisruptionBudget', 'bascule');
    expect(docs.some((d) => d.kind === 'HorizontalPodAutoscaler')).toBe(false);
    const sts = find(docs, 'StatefulSet', 'bascule-redis');
    expect(JSON.stringify(sts)).toContain('"--appendonly","yes"');
    expect((sts['spec'] as { volumeClaimTemplates: unknown[] }).volumeClaimTemplates).toHaveLength(
      1,
    );
  });

  it('split roles: a Deployment, ServiceAccount and RBAC per role, HPA on the gateway', () => {
    const docs = rendered.get('split roles')!;
    const names = docs
      .filter((d) => d.kind === 'Deployment')
      .map((d) => d.metadata.name)
      .sort();
    expect(names).toEqual([
      'bascule-api',
      'bascule-controller',
      'bascule-gateway',
      'bascule-worker',
    ]);
    for (const role of ['api', 'controller', 'gateway', 'worker']) {
      const dep = find(docs, 'Deployment', `bascule-${role}`);
      expect(container(dep).args).toContain(`--roles=${role}`);
      expect(
        (dep['spec'] as { template: { spec: { serviceAccountName: string } } }).template.spec
          .serviceAccountName,
      ).toBe(`bascule-${role}`);
      find(docs, 'ServiceAccount', `bascule-${role}`);
    }
    const hpa = find(docs, 'HorizontalPodAutoscaler', 'bascule-gateway');
    expect((hpa['spec'] as { scaleTargetRef: { name: string } }).scaleTargetRef.name).toBe(
      'bascule-gateway',
    );
    expect(
      (find(docs, 'Deployment', 'bascule-gateway')['spec'] as { replicas?: number }).replicas,
    ).toBeUndefined();
    expect(env(find(docs, 'Deployment', 'bascule-worker'))['BASCULE_GATEWAY_URL']).toBe(
      'http://bascule-gateway.bascule.svc:80',
    );
    // Secrets are read only in the release namespace: the gateway reads provider keys, the
    // controller `get`s the Secret a Provider names (Provider status); the gateway has no
    // ClusterRole at all.
    const secretReaders = docs.filter(
      (d) =>
        (d.kind === 'Role' || d.kind === 'ClusterRole') &&
        JSON.stringify(d['rules']).includes('secrets'),
    );
    expect(secretReaders.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Role/bascule-controller',
      'Role/bascule-gateway',
    ]);
    const controllerSecrets = (find(docs, 'Role', 'bascule-controller')['rules'] as Rule[])
      .filter((r) => r.resources.includes('secrets'))
      .flatMap((r) => r.verbs);
    expect(controllerSecrets).toEqual(['get']);
    expect(docs.some((d) => d.kind === 'ClusterRole' && d.metadata.name.endsWith('-gateway'))).toBe(
      false,
    );
  });

  it('external redis cluster: the password goes after the cluster scheme too (docs/redis.md)', () => {
    const docs = rendered.get('external redis cluster')!;
    expect(docs.some((d) => d.kind === 'StatefulSet')).toBe(false);
    const env = container(find(docs, 'Deployment', 'bascule')).env as {
      name: string;
      value?: string;
    }[];
    expect(env.find((x) => x.name === 'BASCULE_REDIS_URL')?.value).toBe(
      'rediss+cluster://:$(REDIS_PASSWORD)@redis-0.example.internal:6380,redis-1.example.internal:6380',
    );
  });

  it('external redis: no StatefulSet; URL with the password from the Secret; namespace-scoped RBAC', () => {
    const docs = rendered.get('external redis')!;
    expect(docs.some((d) => d.kind === 'StatefulSet')).toBe(false);
    const dep = find(docs, 'Deployment', 'bascule');
    const e = container(dep).env as {
      name: string;
      value?: string;
      valueFrom?: { secretKeyRef: { name: string; key: string } };
    }[];
    const pw = e.findIndex((x) => x.name === 'REDIS_PASSWORD');
    const url = e.findIndex((x) => x.name === 'BASCULE_REDIS_URL');
    expect(e[pw]!.valueFrom!.secretKeyRef).toEqual({ name: 'redis-auth', key: 'password' });
    expect(pw).toBeLessThan(url); // $(REDIS_PASSWORD) only expands when defined earlier
    expect(e[url]!.value).toBe('rediss://:$(REDIS_PASSWORD)@redis.example.internal:6380/0');
    expect(container(dep).args).toContain('--namespace=bascule');
    // Only the GPU capacity view stays cluster-wide: nodes and pods, read-only.
    const cluster = grants(docs).filter((g) => g.startsWith('cluster '));
    expect(new Set(cluster)).toEqual(
      new Set([
        'cluster  nodes list',
        'cluster  nodes watch',
        'cluster  pods list',
        'cluster  pods watch',
      ]),
    );
  });

  it('all optional objects: ServiceMonitor, NetworkPolicies, Ingress, HTTPRoute, PVC, LoadBalancer', () => {
    const docs = rendered.get('all optional objects')!;
    find(docs, 'ServiceMonitor', 'bascule');
    find(docs, 'NetworkPolicy', 'bascule');
    find(docs, 'NetworkPolicy', 'bascule-redis');
    find(docs, 'Ingress', 'bascule-gateway');
    find(docs, 'HTTPRoute', 'bascule-gateway');
    find(docs, 'PersistentVolumeClaim', 'bascule-batches');
    expect((find(docs, 'Service', 'bascule-gateway')['spec'] as { type: string }).type).toBe(
      'LoadBalancer',
    );
    const redis = container(find(docs, 'StatefulSet', 'bascule-redis'));
    expect(redis.args).toContain('$(REDIS_PASSWORD)');
    expect(env(find(docs, 'Deployment', 'bascule-worker'))['BASCULE_WEBHOOK_SIGNING_KEY']).toBe(
      'secret:webhooks/signing-key',
    );
  });

  it('models from values: Models, Providers, Routes and the GPU profile file the controller reads', () => {
    const docs = rendered.get('models from values')!;
    expect(find(docs, 'Model', 'qwen3-8b')['spec']).toMatchObject({ gpus: 'rtx-4090:1' });
    find(docs, 'Provider', 'openai');
    find(docs, 'Route', 'chat');
    const cm = find(docs, 'ConfigMap', 'bascule-gpu-profiles');
    const table = JSON.parse(
      (cm['data'] as Record<string, string>)['gpu-profiles.json']!,
    ) as Record<string, { nodeSelector: Record<string, string> }>;
    expect(table['rtx-4090']!.nodeSelector['pool']).toBe('lab');
    const c = container(find(docs, 'Deployment', 'bascule'));
    expect(c.args).toContain('--gpu-profiles=/etc/bascule/gpu-profiles.json');
    expect(JSON.stringify(c.volumeMounts)).toContain('/etc/bascule');
  });

  it.each(Object.keys(VALUE_SETS))('%s: RBAC grants nothing beyond the allow-list', (set) => {
    const docs = rendered.get(set)!;
    const g = grants(docs);
    expect(g.length).toBeGreaterThan(0);
    expect(g.filter((x) => !allowed(x))).toEqual([]);
    expect(g.some((x) => x.includes('*'))).toBe(false);
    // Every binding points at a Role of this release and a ServiceAccount the chart creates.
    const sas = new Set(
      docs.filter((d) => d.kind === 'ServiceAccount').map((d) => d.metadata.name),
    );
    for (const b of docs.filter((d) => d.kind.endsWith('Binding'))) {
      const subjects = b['subjects'] as { kind: string; name: string }[];
      expect(subjects.every((s) => s.kind === 'ServiceAccount' && sas.has(s.name))).toBe(true);
      find(docs, (b['roleRef'] as { kind: string }).kind, (b['roleRef'] as { name: string }).name);
    }
  });

  it.each(Object.keys(VALUE_SETS))(
    '%s: every container is non-root, read-only, unprivileged, probed and sized',
    (set) => {
      for (const d of rendered
        .get(set)!
        .filter((x) => x.kind === 'Deployment' || x.kind === 'StatefulSet')) {
        const pod = (d['spec'] as { template: { spec: Record<string, unknown> } }).template.spec;
        expect(pod['securityContext']).toMatchObject({
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        for (const c of pod['containers'] as Container[]) {
          expect(c.securityContext, d.metadata.name).toMatchObject({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ['ALL'] },
          });
          expect(c.readinessProbe).toBeDefined();
          expect(c.livenessProbe).toBeDefined();
          expect(c.resources?.requests?.['cpu']).toBeDefined();
          expect(c.resources?.requests?.['memory']).toBeDefined();
          expect(c.image).not.toMatch(/:latest$/);
        }
      }
    },
  );

  it('NOTES tell how to reach the gateway and apply a first model', async () => {
    const notes = await renderText({ notes: true });
    expect(notes).toContain('port-forward svc/bascule-gateway 8080:80');
    expect(notes).toContain('/chat/completions');
    expect(notes).toMatch(/apply -f .*-f manifests\/examples\/model-\S+\.yaml/);
  });

  it('combinations the binary would reject fail with the value to change', async () => {
    await expect(renderText({ values: [{ redis: { bundled: false } }] })).rejects.toThrow(
      /auth.mode=keys needs Redis/,
    );
    await expect(
      renderText({
        values: [
          {
            gateway: { enabled: false },
            api: { enabled: false },
            controller: { enabled: false },
            worker: { enabled: false },
          },
        ],
      }),
    ).rejects.toThrow(/enable at least one of/);
  });
});

interface Container {
  image: string;
  args?: string[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string } };
  }[];
  securityContext?: unknown;
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  volumeMounts?: unknown[];
  resources?: { requests?: Record<string, string> };
}

function container(d: KubeDoc): Container {
  return (d['spec'] as { template: { spec: { containers: Container[] } } }).template.spec
    .containers[0]!;
}

function env(d: KubeDoc): Record<string, string> {
  return Object.fromEntries(
    (container(d).env ?? []).map((e) => [
      e.name,
      e.value ??
        (e.valueFrom?.secretKeyRef
          ? `secret:${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`
          : ''),
    ]),
  );
}
