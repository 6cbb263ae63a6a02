// Runs the `bascule` image in kube-sim pods: a container of ghcr.io/bascule/bascule becomes a
// child process of Node started from a `pnpm deploy` output standing for the image's /app (the
// Dockerfile's runtime stage is that directory), with what a kubelet and the pod network give it:
// - env and envFrom resolved from the pod, its ConfigMaps and Secrets; $(VAR) in command/args;
// - the pod's own network: loopback URLs (127.0.0.1) point at the pod IP, the servers bind it;
// - cluster DNS and Service proxying: http://SVC.NS.svc:PORT in env becomes a ready endpoint;
// - the in-cluster API: KUBECONFIG of kube-sim (in place of the service account token);
// - ConfigMap volumes: their files written to a directory that stands for the mount path.
// Other images run as kube-sim runs them (engine-sim, stubs). The process's exit ends the
// container, so a `restartPolicy: Never` pod (helm test) ends Succeeded or Failed.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createContainerRuntime,
  type ContainerRuntime,
  type KubeSim,
  type RunningContainer,
} from '@bascule/kube-sim';
import { GATEWAY_NODE_FLAGS } from '@bascule/gateway';

export const IMAGE = 'ghcr.io/bascule/bascule';
/** The image's ENTRYPOINT (the Dockerfile's). */
const ENTRYPOINT = ['node', ...GATEWAY_NODE_FLAGS, '/app/dist/main.js'];

type Obj = { metadata: { name: string; labels?: Record<string, string> }; [k: string]: unknown };
const ref = (group: string, resource: string) => ({ group, version: 'v1', resource });
const CONFIGMAPS = ref('', 'configmaps');
const SECRETS = ref('', 'secrets');
const SERVICES = ref('', 'services');
const SLICES = ref('discovery.k8s.io', 'endpointslices');

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}
interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface ImageProcess {
  pod: string;
  container: string;
  argv: string[];
  output(): string;
  exitCode?: number | null;
}

export interface BasculeImageRuntime {
  runtime: ContainerRuntime;
  /** Every process started, latest last. */
  processes: ImageProcess[];
  /** Binds the runtime to its cluster (the runtime is made before kube-sim starts). */
  attach(sim: KubeSim, kubeconfig: string): void;
}

export function basculeImageRuntime(appDir: string, home: string): BasculeImageRuntime {
  const fallback = createContainerRuntime();
  const processes: ImageProcess[] = [];
  let sim: KubeSim | undefined;
  let kubeconfig = '';

  const data = (kind: 'configmap' | 'secret', ns: string, name: string): Record<string, string> => {
    const o = sim!.store.get(kind === 'secret' ? SECRETS : CONFIGMAPS, ns, name) as
      (Obj & { data?: Record<string, string> }) | undefined;
    if (!o) throw new Error(`${kind} ${ns}/${name} not found`);
    const d = o.data ?? {};
    return kind === 'secret'
      ? Object.fromEntries(
          Object.entries(d).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
        )
      : d;
  };

  /** http://SVC[.NS[.svc[.cluster.local]]]:PORT -> http://ENDPOINT_IP:TARGET_PORT (ready ones). */
  const viaServices = (value: string, ns: string): string =>
    value.replace(
      /(https?:\/\/)([a-z0-9-]+)(?:\.([a-z0-9-]+))?(?:\.svc(?:\.cluster\.local)?)?:(\d+)/g,
      (whole, scheme: string, svc: string, svcNs: string | undefined, port: string) => {
        const service = sim!.store.get(SERVICES, svcNs ?? ns, svc) as
          (Obj & { spec: { ports: { name?: string; port: number }[] } }) | undefined;
        const sp = service?.spec.ports.find((p) => p.port === Number(port));
        if (!sp) return whole;
        for (const s of sim!.store.list(SLICES).items as (Obj & {
          endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[];
          ports?: { name?: string; port: number }[];
        })[]) {
          if (s.metadata.labels?.['kubernetes.io/service-name'] !== svc) continue;
          const ep = s.endpoints?.find((e) => e.conditions?.ready);
          const p = s.ports?.find((x) => (x.name ?? '') === (sp.name ?? ''));
          if (ep && p) return `${scheme}${ep.addresses[0]}:${p.port}`;
        }
        return whole;
      },
    );

  const runtime: ContainerRuntime = async (options) => {
    const c = options.container as Container;
    if (!(c.image ?? '').startsWith(`${IMAGE}:`)) return fallback(options);
    const pod = options.pod!;
    const ns = pod.metadata.namespace ?? 'default';
    const podIP = options.podIP;
    const env: Record<string, string> = {};
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef) Object.assign(env, data('configmap', ns, from.configMapRef.name));
      if (from.secretRef) Object.assign(env, data('secret', ns, from.secretRef.name));
    }
    const expand = (s: string) =>
      s.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (w, n: string) => env[n] ?? w);
    for (const e of c.env ?? []) {
      const f = e.valueFrom;
      let v = e.value !== undefined ? expand(e.value) : '';
      if (f?.fieldRef) {
        const fields: Record<string, string> = {
          'metadata.name': pod.metadata.name,
          'metadata.namespace': ns,
          'status.podIP': podIP,
        };
        v = fields[f.fieldRef.fieldPath] ?? '';
      } else if (f?.secretKeyRef)
        v = data('secret', ns, f.secretKeyRef.name)[f.secretKeyRef.key] ?? '';
      else if (f?.configMapKeyRef)
        v = data('configmap', ns, f.configMapKeyRef.name)[f.configMapKeyRef.key] ?? '';
      env[e.name] = v;
    }
    // Loopback to a port of this pod's containers reaches the pod itself (its network namespace).
    const own = new Set(
      (pod.spec.containers as Container[]).flatMap((x) =>
        ((x as { ports?: { containerPort: number }[] }).ports ?? []).map((p) => p.containerPort),
      ),
    );
    for (const [k, v] of Object.entries(env))
      env[k] = viaServices(
        v.replace(/\/\/(127\.0\.0\.1|localhost):(\d+)/g, (w, _h, port: string) =>
          own.has(Number(port)) ? `//${podIP}:${port}` : w,
        ),
        ns,
      );
    // As a container runtime does: command replaces the ENTRYPOINT; args follow either.
    const argv = [...(c.command ?? ENTRYPOINT), ...(c.args ?? [])].map(expand);
    // ConfigMap volumes: mount path -> a directory holding the ConfigMap's keys as files.
    const volumes = (pod.spec as { volumes?: { name: string; configMap?: { name: string } }[] })
      .volumes;
    const mounts: [string, string][] = [];
    for (const m of c.volumeMounts ?? []) {
      const cm = volumes?.find((v) => v.name === m.name)?.configMap;
      if (!cm) continue;
      const path = join(home, 'volumes', pod.metadata.name, m.name);
      mkdirSync(path, { recursive: true });
      for (const [k, v] of Object.entries(data('configmap', ns, cm.name)))
        writeFileSync(join(path, k), v);
      mounts.push([m.mountPath.replace(/\/$/, ''), path]);
    }
    const mapPaths = (a: string) =>
      mounts.reduce((x, [from, to]) => x.split(`${from}/`).join(`${to}/`), a);
    const [cmd, ...rest] = argv.map((a) => mapPaths(a.replace(/^\/app\//, `${appDir}/`)));
    if (cmd !== 'node') throw new Error(`the bascule image runs node, not ${cmd}`);
    const server = rest.includes(`${appDir}/dist/main.js`);
    const child = spawn(process.execPath, server ? [...rest, `--metrics-host=${podIP}`] : rest, {
      cwd: appDir,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        KUBECONFIG: kubeconfig,
        ...(server ? { BASCULE_GATEWAY_HOST: podIP, BASCULE_API_HOST: podIP } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const proc: ImageProcess = {
      pod: pod.metadata.name,
      container: c.name,
      argv,
      output: () => out,
    };
    processes.push(proc);
    const exited = new Promise<{ exitCode: number; reason?: string; message?: string }>((resolve) =>
      child.once('exit', (code, signal) => {
        proc.exitCode = code;
        const exitCode = code ?? (signal ? 137 : 1);
        resolve({
          exitCode,
          reason: exitCode === 0 ? 'Completed' : 'Error',
          message: out.slice(-400),
        });
      }),
    );
    const running: RunningContainer = {
      exited,
      async close() {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          // As a kubelet does after the grace period (shortened here).
          const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(kill);
        }
        await exited;
      },
    };
    return running;
  };
  return {
    runtime,
    processes,
    attach(s, k) {
      sim = s;
      kubeconfig = k;
    },
  };
}
