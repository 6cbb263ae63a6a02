// The chart's per-role RBAC enforced: the chart (splitRoles, so each role has its own
// ServiceAccount) is rendered and its ServiceAccounts, Roles, ClusterRoles and bindings applied to
// kube-sim; each role then acts under a token of its own ServiceAccount (`kubectl create token`).
// The controller reconciles a Model and the gateway watches its endpoints through their own
// grants; every rule the chart renders is allowed, and what the roles were not granted is refused
// with the API server's 403.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationV1Api, type V1ResourceAttributes } from '@kubernetes/client-node';
import { ModelController } from '@bascule/controller';
import { startKubeResources } from '@bascule/gateway';
import { createKubeClient, type KubeClient } from '@bascule/kube';
import { startKubeSim, type KubeSim } from '@bascule/kube-sim';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { hasKubectl } from '../support/has-kubectl.js';
import { waitFor } from '@bascule/test-support';
import { render, renderUnavailable, ROOT, type KubeDoc } from './support/render-chart.js';

const skip = renderUnavailable ?? (hasKubectl ? undefined : 'kubectl is missing');
if (skip) console.warn(`skipping the chart's RBAC on kube-sim: ${skip}`);

const NS = 'bascule';
const ROLES = ['controller', 'gateway', 'api', 'worker'] as const;
type Role = (typeof ROLES)[number];

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

let dir: string;
let sim: KubeSim;
let adminKubeconfig: string;
let docs: KubeDoc[];
const clients = {} as Record<Role, KubeClient>;
const saNames = {} as Record<Role, string>;
const stops: Array<() => Promise<void>> = [];

function kubectl(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', adminKubeconfig, ...args],
      { timeout: 60_000, maxBuffer: 8 << 20 },
      (err, stdout, stderr) =>
        err
          ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`))
          : resolve(stdout),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Whether the role's ServiceAccount may do this, asked as that ServiceAccount (SelfSubjectAccessReview). */
async function canI(role: Role, attrs: V1ResourceAttributes): Promise<boolean> {
  const api = clients[role].config.makeApiClient(AuthorizationV1Api);
  const review = await api.createSelfSubjectAccessReview({
    body: { spec: { resourceAttributes: attrs } },
  });
  return review.status?.allowed === true;
}

/** The HTTP status and message of a refused call. */
async function refusal(call: () => Promise<unknown>): Promise<{ code?: number; message: string }> {
  try {
    await call();
  } catch (err) {
    const e = err as { code?: number; body?: string };
    const body =
      typeof e.body === 'string' ? (JSON.parse(e.body) as { message: string }) : undefined;
    return { code: e.code, message: body?.message ?? String(err) };
  }
  return { message: 'allowed' };
}

/** The rules the chart grants a role, with the namespace they apply in (undefined: cluster-wide). */
function grantedRules(role: Role): Array<{ rule: Rule; namespace: string | undefined }> {
  const out: Array<{ rule: Rule; namespace: string | undefined }> = [];
  for (const b of docs.filter((d) => d.kind === 'RoleBinding' || d.kind === 'ClusterRoleBinding')) {
    const subjects = b['subjects'] as Array<{ name: string }>;
    if (!subjects.some((s) => s.name === saNames[role])) continue;
    const ref = b['roleRef'] as { kind: string; name: string };
    const r = docs.find((d) => d.kind === ref.kind && d.metadata.name === ref.name)!;
    for (const rule of r['rules'] as Rule[])
      out.push({ rule, namespace: b.kind === 'RoleBinding' ? b.metadata.namespace : undefined });
  }
  return out;
}

const MODEL = {
  apiVersion: 'bascule.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'small', namespace: NS },
  spec: {
    source: 'hf://meta-llama/Llama-3.1-8B-Instruct',
    engine: 'vllm',
    gpus: 'nvidia-l4:1',
    maxContextLength: 8192,
    servedNames: ['meta-llama/Llama-3.1-8B-Instruct'],
  },
};

describe.skipIf(skip)("the chart's roles under their own ServiceAccounts, RBAC enforced", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bsc-chart-rbac-'));
    adminKubeconfig = join(dir, 'admin.kubeconfig');
    sim = await startKubeSim({
      nodes: 'l4:2x1,cpu:1',
      timeScale: 50,
      tls: true,
      token: 'admin-token',
      kubeconfigPath: adminKubeconfig,
    });
    await kubectl(['apply', '-f', join(ROOT, 'manifests/crds')]);
    await kubectl(['create', 'namespace', NS]);
    docs = (
      await render({ values: [{ splitRoles: true }], namespace: NS, hooks: 'exclude' })
    ).filter((d) =>
      ['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].includes(
        d.kind,
      ),
    );
    await kubectl(['apply', '-f', '-'], docs.map((d) => stringify(d)).join('---\n'));
    const admin = parse(readFileSync(adminKubeconfig, 'utf8')) as {
      users: Array<{ user: Record<string, unknown> }>;
    };
    for (const role of ROLES) {
      const sa = docs.find(
        (d) =>
          d.kind === 'ServiceAccount' &&
          d.metadata.labels?.['app.kubernetes.io/component'] === role,
      )!;
      saNames[role] = sa.metadata.name;
      const token = (await kubectl(['-n', NS, 'create', 'token', sa.metadata.name])).trim();
      admin.users[0]!.user = { token };
      const file = join(dir, `${role}.kubeconfig`);
      writeFileSync(file, stringify(admin));
      clients[role] = createKubeClient({ kubeconfig: file });
    }
  }, 120_000);

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('allows every rule the chart renders for a role, and nothing the role was not given', async () => {
    for (const role of ROLES) {
      const granted = grantedRules(role);
      expect(granted.length, role).toBeGreaterThan(0);
      for (const { rule, namespace } of granted)
        for (const group of rule.apiGroups)
          for (const resource of rule.resources)
            for (const verb of rule.verbs) {
              const [res, sub] = resource.split('/');
              const attrs = {
                group,
                resource: res!,
                verb,
                namespace: namespace ?? 'anywhere',
                ...(sub ? { subresource: sub } : {}),
              };
              expect(await canI(role, attrs), `${role} ${verb} ${resource}`).toBe(true);
            }
      // Nobody may touch RBAC, ConfigMaps, or Secrets outside the release namespace.
      for (const attrs of [
        { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', verb: 'create' },
        { group: '', resource: 'configmaps', verb: 'get', namespace: NS },
        { group: '', resource: 'secrets', verb: 'get', namespace: 'default' },
        { group: 'apps', resource: 'deployments', verb: 'delete', namespace: NS },
      ])
        expect(await canI(role, attrs), `${role} ${attrs.verb} ${attrs.resource}`).toBe(false);
    }
    expect(
      await canI('gateway', {
        group: 'bascule.dev',
        resource: 'models',
        verb: 'list',
        namespace: 'default',
      }),
    ).toBe(false);
    expect(
      await canI('worker', {
        group: 'bascule.dev',
        resource: 'models',
        verb: 'create',
        namespace: NS,
      }),
    ).toBe(false);
    expect(await canI('api', { group: '', resource: 'nodes', verb: 'watch' })).toBe(false);
    expect(
      await canI('controller', { group: '', resource: 'secrets', verb: 'list', namespace: NS }),
    ).toBe(false);
  });

  it('the controller reconciles a Model and the gateway watches its endpoints, each with its own token', async () => {
    const controller = new ModelController({
      client: clients.controller,
      logger: pino({ level: process.env.RBAC_DEBUG ? 'info' : 'silent' }),
      leaderElection: { namespace: NS, identity: 'rbac-test' },
      plan: { capacityRecheckMs: 2_000, progressRecheckMs: 5_000 },
    });
    await controller.start();
    stops.push(() => controller.stop());
    const warnings: string[] = [];
    const gateway = await startKubeResources({
      client: clients.gateway,
      namespace: NS,
      onWarning: (message) => warnings.push(message),
    });
    stops.push(() => gateway.stop());

    await kubectl(['apply', '-f', '-'], JSON.stringify(MODEL));
    await waitFor(
      'the gateway to see the endpoints of the Model the controller reconciled',
      () => {
        const m = gateway.snapshot().models.find((x) => x.metadata.name === 'small');
        if (!m)
          throw new Error(`the gateway has no Model small (warnings: ${warnings.join('; ')})`);
        return (m.status?.endpoints ?? []).length > 0;
      },
      60_000,
    );
    const deployments = JSON.parse(
      await kubectl(['-n', NS, 'get', 'deployments', '-o', 'json']),
    ) as {
      items: Array<{ metadata: { ownerReferences?: Array<{ kind: string; name: string }> } }>;
    };
    expect(
      deployments.items.some((d) =>
        d.metadata.ownerReferences?.some((o) => o.kind === 'Model' && o.name === 'small'),
      ),
    ).toBe(true);
    const lease = await kubectl([
      '-n',
      NS,
      'get',
      'lease',
      'bascule-controller',
      '-o',
      'jsonpath={.spec.holderIdentity}',
    ]);
    expect(lease).toBe('rbac-test');
  }, 90_000);

  it('refuses calls outside a role with the API server 403', async () => {
    const gatewayReadsDefault = await refusal(() =>
      clients.gateway.custom.listNamespacedCustomObject({
        group: 'bascule.dev',
        version: 'v1alpha1',
        namespace: 'default',
        plural: 'models',
      }),
    );
    expect(gatewayReadsDefault).toEqual({
      code: 403,
      message: `models.bascule.dev is forbidden: User "system:serviceaccount:${NS}:${saNames.gateway}" cannot list resource "models" in API group "bascule.dev" in the namespace "default"`,
    });
    const workerCreates = await refusal(() =>
      clients.worker.custom.createNamespacedCustomObject({
        group: 'bascule.dev',
        version: 'v1alpha1',
        namespace: NS,
        plural: 'models',
        body: { ...MODEL, metadata: { name: 'not-mine', namespace: NS } },
      }),
    );
    expect(workerCreates.code).toBe(403);
    expect(workerCreates.message).toContain('cannot create resource "models"');
    const controllerListsSecrets = await refusal(() =>
      clients.controller.core.listNamespacedSecret({ namespace: NS }),
    );
    expect(controllerListsSecrets.code).toBe(403);
    const apiDeletesDeployment = await refusal(() =>
      clients.api.apps.deleteNamespacedDeployment({ name: 'small', namespace: NS }),
    );
    expect(apiDeletesDeployment.message).toBe(
      `deployments.apps "small" is forbidden: User "system:serviceaccount:${NS}:${saNames.api}" cannot delete resource "deployments" in API group "apps" in the namespace "${NS}"`,
    );
    // What the api role is given, it can do: list nodes for the capacity view.
    const nodes = await clients.api.core.listNode();
    expect(nodes.items.length).toBe(3);
  });
});
