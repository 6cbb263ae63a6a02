// `pnpm start`: the whole of Bascule on one machine, in one process tree. kube-sim and the
// provider-sims run in this process; redis-server and `bascule-server` (every role) are
// children in their own process groups, so Ctrl-C reaches this process alone and it stops
// everything in order: bascule, provider-sims, kube-sim (and its engine-sims), Redis.
import { join, relative, resolve } from 'node:path';
import { RESOURCES, startKubeSim, type KubeSim, StateFileError } from '@bascule/kube-sim';
import { applyToKube } from './apply-to-kube.js';
import { pollUntil } from './poll-until.js';
import {
  ALL_NODES,
  DEFAULT_NODES,
  patchExamples,
  providerModels,
  readCrds,
  readExamples,
} from './example-manifests.js';
import { claimPort } from './free-port.js';
import { createProgressWriter, listModels, modelPhase, progressLines } from './model-progress.js';
import { nextSteps } from './next-steps.js';
import {
  parseStartArgs,
  START_USAGE,
  StartUsageError,
  type StartOptions,
} from './parse-start-args.js';
import { spawnBascule, type BasculeChild } from './spawn-bascule.js';
import { PROVIDER_ENV, startProviders } from './start-providers.js';
import { RedisUnavailableError, startRedis } from './start-redis.js';
import { claimStateDir, StateDirBusyError, type StateDir } from './state-dir.js';

export interface StartIo {
  /** The repository root (manifests/, apps/control-plane/dist). */
  root: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  /** Resolves on the first SIGINT/SIGTERM/SIGHUP. */
  stopSignal: Promise<string>;
}

/** Thrown to abandon start-up when a stop signal arrives part way. */
class Stopped extends Error {}

const HOST = '127.0.0.1';

/** Returns the exit code: 0 after a clean stop, 1 when start-up failed, 2 for bad flags. */
export async function runStart(argv: readonly string[], io: StartIo): Promise<number> {
  let options: StartOptions;
  try {
    const parsed = parseStartArgs(argv, io.env);
    if (parsed === 'help') {
      io.stdout.write(START_USAGE);
      return 0;
    }
    options = parsed;
  } catch (err) {
    if (!(err instanceof StartUsageError)) throw err;
    io.stderr.write(`bascule start: ${err.message}\n\n${START_USAGE}`);
    return 2;
  }
  let state: StateDir & { cleaned: boolean };
  try {
    state = claimStateDir(resolve(io.cwd, options.stateDir), options.clean);
  } catch (err) {
    if (!(err instanceof StateDirBusyError)) throw err;
    io.stderr.write(`bascule start: ${err.message}\n`);
    return 1;
  }
  const cleanups: { name: string; run: () => Promise<void> }[] = [];
  let stopping: string | undefined;
  void io.stopSignal.then((s) => (stopping = s));
  const guard = async <T>(work: Promise<T>): Promise<T> => {
    const r = await Promise.race([work, io.stopSignal.then(() => Stopped)]);
    if (r === Stopped || stopping) throw new Stopped();
    return r as T;
  };
  const say = (line: string) => io.stdout.write(`${line}\n`);
  let code = 0;
  try {
    const child = await bringUp(options, state, io, cleanups, guard, say);
    const exit = await Promise.race([io.stopSignal.then(() => undefined), child.exited]);
    if (exit !== undefined) {
      io.stderr.write(
        `bascule start: bascule-server exited (code ${String(exit)}); last log lines:\n${child.tail()}\n`,
      );
      code = 1;
    }
  } catch (err) {
    if (err instanceof StateFileError) {
      const r = relative(io.cwd, err.file);
      const file = r && !r.startsWith('..') ? r : err.file;
      io.stderr.write(
        `bascule start: cannot load the cluster state in ${file}: ${err.reason}.\n` +
          `  Remove that file to start with an empty cluster (keys, usage and batches are kept),\n` +
          `  or run \`pnpm start -- --clean\` to start afresh.\n`,
      );
      code = 1;
    } else if (!(err instanceof Stopped)) {
      const known = err instanceof RedisUnavailableError || err instanceof StartFailure;
      io.stderr.write(
        `bascule start: ${known ? '' : 'failed: '}${err instanceof Error ? err.message : String(err)}\n`,
      );
      code = 1;
    }
  }
  if (cleanups.length > 0)
    say(
      `\nstopping: ${cleanups
        .map((c) => c.name)
        .reverse()
        .join(', ')}`,
    );
  for (const c of cleanups.reverse()) {
    await c
      .run()
      .catch((err: unknown) =>
        io.stderr.write(
          `  could not stop ${c.name}: ${err instanceof Error ? err.message : String(err)}\n`,
        ),
      );
  }
  state.release();
  say('stopped.');
  return code;
}

class StartFailure extends Error {}

async function bringUp(
  options: StartOptions,
  state: StateDir & { cleaned: boolean },
  io: StartIo,
  cleanups: { name: string; run: () => Promise<void> }[],
  guard: <T>(p: Promise<T>) => Promise<T>,
  say: (line: string) => void,
): Promise<BasculeChild> {
  const taken = (flag: string) => (port: number) =>
    new StartFailure(
      `--${flag}: ${HOST}:${port} is already in use (is another Bascule running?); choose another with --${flag} N, or 0 for any free port`,
    );
  // Claim every port up front so a collision is reported before anything starts.
  const gatewayPort = await claimPort(HOST, options.gatewayPort, taken('gateway-port'));
  const apiPort = await claimPort(HOST, options.apiPort, taken('api-port'));
  const metricsPort = await claimPort(HOST, options.metricsPort, taken('metrics-port'));
  const kubePort = await claimPort(HOST, options.kubePort, taken('kube-port'));
  const display = (p: string) => {
    const r = relative(io.cwd, p);
    return r && !r.startsWith('..') ? r : p;
  };
  say(`bascule: starting in ${display(state.root)}/${state.cleaned ? ' (cleaned)' : ''}`);
  if (state.stale.length > 0)
    say(`  stopped ${state.stale.length} process(es) a killed earlier run left behind`);

  const redis = await guard(
    startRedis({ url: options.redisUrl, dir: state.redis, logs: state.logs }),
  );
  if (redis.pid) state.recordChild(redis.pid);
  cleanups.push({ name: 'redis', run: () => redis.stop() });
  say(
    `  redis         ${redis.url}${options.redisUrl ? ' (REDIS_URL)' : ` (data in ${display(state.redis)})`}`,
  );

  const nodes = options.allExamples ? ALL_NODES : DEFAULT_NODES;
  const sim: KubeSim = await guard(
    startKubeSim({
      nodes,
      host: HOST,
      port: kubePort,
      timeScale: options.timeScale,
      kubeconfigPath: state.kubeconfig,
      stateFile: state.kubeState,
    }),
  );
  cleanups.push({ name: 'kube-sim', run: () => sim.close() });
  const kept = sim.restoredObjects
    ? `; ${sim.restoredObjects} objects from ${display(state.kubeState)}`
    : '';
  say(`  kube-sim      ${sim.url} (nodes ${nodes}, time scale ${options.timeScale}${kept})`);

  const examplesDir = join(io.root, 'manifests/examples');
  const examples = readExamples(examplesDir, options.allExamples);
  const providers = await guard(startProviders(providerModels(examples.docs), io.env));
  cleanups.push({ name: 'provider-sims', run: () => providers.close() });
  const kinds = { openai: 'sim', anthropic: 'sim', gemini: 'sim' } as Record<
    'openai' | 'anthropic' | 'gemini',
    'sim' | 'real'
  >;
  for (const t of ['openai', 'anthropic', 'gemini'] as const) {
    const sim = providers.sims[t];
    kinds[t] = sim ? 'sim' : 'real';
    say(
      `  ${t.padEnd(12)}  ${sim ? `${sim.url} (provider-sim)` : `the real API (${PROVIDER_ENV[t]})`}`,
    );
  }

  await guard(applyToKube(sim.url, readCrds(join(io.root, 'manifests/crds'))));
  await guard(applyToKube(sim.url, patchExamples(examples.docs, providers.targets)));
  say(
    `  applied       the CRDs and ${examples.files.length} examples: ${examples.files.join(' ')}`,
  );

  const env: NodeJS.ProcessEnv = { ...io.env };
  for (const k of Object.values(PROVIDER_ENV)) delete env[k];
  Object.assign(env, {
    BASCULE_GATEWAY_HOST: HOST,
    BASCULE_GATEWAY_PORT: String(gatewayPort),
    BASCULE_API_HOST: HOST,
    BASCULE_API_PORT: String(apiPort),
    BASCULE_REDIS_URL: redis.url,
    BASCULE_AUTH: 'keys',
    BASCULE_ADMIN_KEY: state.adminKey,
    BASCULE_GATEWAY_URL: `http://${HOST}:${gatewayPort}`,
    BASCULE_BATCH_DIR: state.batches,
    BASCULE_WEBHOOK_SIGNING_KEY: state.webhookKey,
    BASCULE_AUTOSCALER_INTERVAL: '1s',
    // The dashboard links here for history past its own 24 hours.
    BASCULE_PROMETHEUS_URL: `http://${HOST}:${metricsPort}/metrics`,
    // The simulated providers (and webhook receivers) live on loopback: allow it explicitly.
    BASCULE_EGRESS_ALLOW: io.env.BASCULE_EGRESS_ALLOW ?? '127.0.0.0/8,::1',
  });
  const child = spawnBascule({
    root: io.root,
    logs: state.logs,
    env,
    args: [
      '--kubeconfig',
      state.kubeconfig,
      '--metrics-host',
      HOST,
      '--metrics-port',
      String(metricsPort),
      '--identity',
      'bascule-start',
    ],
  });
  if (child.child.pid) state.recordChild(child.child.pid);
  cleanups.push({ name: 'bascule', run: () => child.stop() });
  const metricsUrl = `http://${HOST}:${metricsPort}`;
  const up = await guard(
    Promise.race([waitReady(`${metricsUrl}/readyz`, 60_000), child.exited.then(() => false)]),
  );
  if (!up)
    throw new StartFailure(
      `bascule-server did not become ready; last lines of ${display(child.logFile)}:\n${child.tail()}`,
    );
  const roles =
    [...child.tail(400).matchAll(/"roles":\[([^\]]*)\]/g)].pop()?.[1]?.replace(/"/g, '') ??
    'every role';
  say(
    `  bascule    serve --roles ${roles} (pid ${String(child.child.pid)}, logs in ${display(child.logFile)})`,
  );

  if (options.wait) {
    say('\nWaiting for the Models (kubectl get models shows the same):');
    const applied = examples.docs.filter((d) => d.kind === 'Model').map((d) => d.metadata.name);
    const podExists = (name: string) => !!sim.store.get(RESOURCES.pods, 'default', name);
    await guard(waitForModels(sim.url, applied, podExists, options.readyTimeoutMs, io.stdout));
  }
  const l4Nodes = sim.cluster.nodeNames.filter((n) => n.startsWith('node-l4-'));
  io.stdout.write(
    nextSteps({
      gatewayUrl: `http://${HOST}:${gatewayPort}`,
      apiUrl: `http://${HOST}:${apiPort}`,
      metricsUrl,
      kubeUrl: sim.url,
      redisUrl: redis.url,
      adminKey: state.adminKey,
      kubeconfig: display(state.kubeconfig),
      stateDir: display(state.root),
      logFile: display(child.logFile),
      examples: examples.files,
      allExamples: options.allExamples,
      providers: kinds,
      l4Nodes,
    }),
  );
  return child;
}

function waitReady(url: string, timeoutMs: number): Promise<boolean> {
  const ok = () =>
    fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
  return pollUntil(ok, timeoutMs, 200);
}

/**
 * Redraws the progress lines (every Model, including those kept from an earlier run) until the
 * Models this run applied are Ready or scaled to zero. A Model someone else applied does not hold
 * up the start, nor does one left from an --all-examples run on this smaller cluster.
 */
async function waitForModels(
  server: string,
  applied: readonly string[],
  podExists: (name: string) => boolean,
  timeoutMs: number,
  out: StartIo['stdout'],
): Promise<void> {
  const writer = createProgressWriter(out);
  const allReady = async () => {
    const models = await listModels(server);
    writer.update(progressLines(models, podExists));
    const ours = models.filter((m) => applied.includes(m.metadata.name));
    const phases = ours.map((m) => modelPhase(m, podExists).phase);
    return ours.length === applied.length && phases.every((p) => p === 'ready' || p === 'zero');
  };
  if (!(await pollUntil(allReady, timeoutMs, 500))) {
    throw new StartFailure(
      `Models not Ready after ${timeoutMs / 1000}s (see above; kubectl describe model NAME explains why). Raise --ready-timeout or use --no-wait.`,
    );
  }
}
