// kube-sim answers like a real API server where a forgiving one would hide bugs: built-in objects
// validated against Kubernetes' OpenAPI definitions and the API server's semantic rules, `kubectl
// explain` for built-in kinds, and RBAC enforced for ServiceAccount tokens (`kubectl auth can-i`).
// Every case runs the real kubectl against kube-sim over TLS (kubectl sends tokens only over TLS).
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl } from '../support/has-kubectl.js';
import { startApiHarness, type ApiHarness } from './api-harness.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A Deployment manifest; `spec` lines are spliced in under spec, `container` lines under the container. */
function deployment(
  name: string,
  opts: { spec?: string; container?: string; labels?: string } = {},
) {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
${opts.spec ?? ''}  template:
    metadata: {labels: {app: ${opts.labels ?? name}}}
    spec:
      containers:
      - name: main
        image: nginx:1.27
${opts.container ?? ''}`;
}

describe.skipIf(!hasKubectl)('kube-sim as strict as Kubernetes, with the real kubectl', () => {
  let h: ApiHarness;

  const kubectl = (args: string[], input?: string): Promise<Run> =>
    new Promise((done) => {
      const child = execFile(
        'kubectl',
        ['--kubeconfig', h.kubeconfig, '--cache-dir', join(h.dir, 'cache'), ...args],
        { timeout: 30_000 },
        (err, stdout, stderr) =>
          done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  const ok = async (args: string[], input?: string): Promise<string> => {
    const r = await kubectl(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  const apply = (manifest: string, ...flags: string[]) =>
    kubectl(['apply', ...flags, '-f', '-'], manifest);

  beforeAll(async () => {
    h = await startApiHarness({ token: 'admin-token', tls: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('rejects what the API server rejects, in its words, and stores nothing', async () => {
    const cases: Array<[manifest: string, message: string]> = [
      [
        deployment('unknown', { spec: '  foo: 1\n', container: '        bar: 2\n' }),
        'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo", unknown field "spec.template.spec.containers[0].bar"',
      ],
      [
        deployment('mismatch', { labels: 'other' }),
        'The Deployment "mismatch" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
      ],
      [
        deployment('banana', { container: '        resources: {requests: {cpu: banana}}\n' }),
        `Deployment in version "v1" cannot be handled as a Deployment: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      ],
      [
        deployment('gpu-unequal', {
          container:
            '        resources: {requests: {nvidia.com/gpu: 1}, limits: {nvidia.com/gpu: 2}}\n',
        }),
        'spec.template.spec.containers[0].resources.requests[nvidia.com/gpu]: Invalid value: "1": must be equal to nvidia.com/gpu limit of 2',
      ],
      [
        deployment('gpu-no-limit', {
          container: '        resources: {requests: {nvidia.com/gpu: 1}}\n',
        }),
        'spec.template.spec.containers[0].resources.limits[nvidia.com/gpu]: Required value: Limit must be set for non overcommitable resources',
      ],
      [
        deployment('replicas-text').replace('replicas: 1', 'replicas: three'),
        'cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      ],
    ];
    for (const [manifest, message] of cases) {
      const r = await apply(manifest);
      expect(r.code, manifest).not.toBe(0);
      expect(r.stderr).toContain(message);
    }
    const stored = await ok(['get', 'deployments', '-o', 'name']);
    expect(stored).toBe('');
  });

  it('drops unknown fields with a warning under --validate=warn, and keeps the selector immutable', async () => {
    const warned = await apply(
      deployment('web', { spec: '  foo: 1\n', container: '        bar: 2\n' }),
      '--validate=warn',
    );
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('Warning: unknown field "spec.foo"');
    expect(warned.stderr).toContain(
      'Warning: unknown field "spec.template.spec.containers[0].bar"',
    );
    const spec = JSON.parse(await ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec}'])) as {
      foo?: unknown;
      template: { spec: { containers: Array<Record<string, unknown>> } };
    };
    expect(spec.foo).toBeUndefined();
    expect(spec.template.spec.containers[0]!['bar']).toBeUndefined();

    const patch = await kubectl([
      'patch',
      'deployment',
      'web',
      '--type=merge',
      '-p',
      '{"spec":{"selector":{"matchLabels":{"app":"x"}},"template":{"metadata":{"labels":{"app":"x"}}}}}',
    ]);
    expect(patch.code).not.toBe(0);
    expect(patch.stderr).toContain(
      'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });

  it('explains built-in kinds from their OpenAPI schema', async () => {
    const out = await ok(['explain', 'deployment.spec']);
    expect(out).toContain('KIND:       Deployment');
    expect(out).toContain('FIELD: spec <DeploymentSpec>');
    expect(out).toMatch(/selector\s+<LabelSelector> -required-/);
    expect(out).toContain('Label selector for pods.');
    const containers = await ok(['explain', 'pod.spec.containers']);
    expect(containers).toContain('FIELD: containers <[]Container>');
    expect(containers).toMatch(/name\s+<string> -required-/);
  });

  it('enforces RBAC for ServiceAccount tokens; the admin kubeconfig stays all-powerful', async () => {
    await ok(['create', 'namespace', 'team']);
    await ok(['-n', 'team', 'create', 'serviceaccount', 'reader']);
    await ok([
      '-n',
      'team',
      'create',
      'role',
      'pod-reader',
      '--verb=get,list,watch',
      '--resource=pods',
    ]);
    await ok([
      '-n',
      'team',
      'create',
      'rolebinding',
      'rb',
      '--role=pod-reader',
      '--serviceaccount=team:reader',
    ]);
    const token = (await ok(['-n', 'team', 'create', 'token', 'reader'])).trim();
    expect(token.split('.')).toHaveLength(3);
    const as = (args: string[]) => kubectl(['--token', token, '-n', 'team', ...args]);

    expect((await as(['get', 'pods'])).code).toBe(0);
    const other = await as(['get', 'pods', '-n', 'default']);
    expect(other.stderr).toContain(
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:team:reader" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    const deploy = await as(['get', 'deployments']);
    expect(deploy.stderr).toContain(
      'deployments.apps is forbidden: User "system:serviceaccount:team:reader" cannot list resource "deployments" in API group "apps" in the namespace "team"',
    );
    const nodes = await as(['get', 'nodes']);
    expect(nodes.stderr).toContain(
      'cannot list resource "nodes" in API group "" at the cluster scope',
    );
    const yes = await as(['auth', 'can-i', 'watch', 'pods']);
    expect([yes.code, yes.stdout.trim()]).toEqual([0, 'yes']);
    const no = await as(['auth', 'can-i', 'create', 'pods']);
    expect([no.code, no.stdout.trim()]).toEqual([1, 'no']);
    expect(await as(['auth', 'can-i', '--list'])).toMatchObject({ code: 0 });
    expect((await as(['auth', 'can-i', '--list'])).stdout).toMatch(
      /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m,
    );
    expect((await ok(['auth', 'can-i', '*', '*', '--all-namespaces'])).trim()).toBe('yes');

    // A binding's roleRef cannot change.
    const roleRef = await kubectl([
      '-n',
      'team',
      'patch',
      'rolebinding',
      'rb',
      '--type=merge',
      '-p',
      '{"roleRef":{"name":"other"}}',
    ]);
    expect(roleRef.stderr).toContain('roleRef: Invalid value');
    expect(roleRef.stderr).toContain('cannot change roleRef');

    // A legacy Secret token is filled in and works while the Secret exists.
    await ok(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: Secret
metadata:
  name: reader-token
  namespace: team
  annotations: {kubernetes.io/service-account.name: reader}
type: kubernetes.io/service-account-token
`,
    );
    const legacy = Buffer.from(
      await ok(['-n', 'team', 'get', 'secret', 'reader-token', '-o', 'jsonpath={.data.token}']),
      'base64',
    ).toString('utf8');
    expect((await kubectl(['--token', legacy, '-n', 'team', 'get', 'pods'])).code).toBe(0);
    await ok(['-n', 'team', 'delete', 'secret', 'reader-token']);
    const revoked = await kubectl(['--token', legacy, '-n', 'team', 'get', 'pods']);
    expect(revoked.stderr).toContain('You must be logged in to the server (Unauthorized)');

    // Deleting the ServiceAccount invalidates its tokens.
    await ok(['-n', 'team', 'delete', 'serviceaccount', 'reader']);
    const gone = await as(['get', 'pods']);
    expect(gone.stderr).toContain('You must be logged in to the server (Unauthorized)');
  });

  it('answers the kinds kube-sim serves with the OpenAPI v2 document as well', async () => {
    const doc = JSON.parse(await ok(['get', '--raw', '/openapi/v2'])) as {
      definitions: Record<string, { properties?: Record<string, unknown> }>;
    };
    expect(
      Object.keys(doc.definitions['io.k8s.api.apps.v1.DeploymentSpec']!.properties!),
    ).toContain('selector');
    expect(doc.definitions['io.k8s.api.rbac.v1.ClusterRoleBinding']).toBeDefined();
    await writeFile(join(h.dir, 'v2.json'), JSON.stringify(doc));
  });
});
