// Our gateway in its own process for the benchmark: one Route to one Model whose only endpoint
// is the instant upstream. Usage: gateway-server.ts <upstream-url> [node|express]
// With BASCULE_BENCH_REDIS (a redis:// URL) it runs as deployed: API keys checked and rate
// limits and budgets admitted in that Redis, usage metered to it (day counters and minute series).
import { createInMemorySecretSource } from '@bascule/providers';
import {
  createGateway,
  createKeyAuthenticator,
  createRedisClient,
  createRedisUsageSink,
  createStaticEndpointStore,
  createStaticResources,
  startGateway,
  withMinuteSeries,
} from '@bascule/gateway';
import { parseModel, parseRoute } from '@bascule/spec';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';

const upstream = process.argv[2] ?? 'http://127.0.0.1:8000';
const mode = process.argv[3] === 'express' ? 'express' : 'node';
const model = parseModel({
  apiVersion: 'bascule.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'bench' },
  spec: {
    source: 'hf://org/bench',
    engine: 'vllm',
    gpus: 'nvidia-l4:1',
    maxConcurrency: 100_000,
    cost: { gpuHourUSD: 0.72 },
  },
});
const route = parseRoute({
  apiVersion: 'bascule.dev/v1alpha1',
  kind: 'Route',
  metadata: { name: 'chat' },
  spec: { targets: [{ model: 'bench' }] },
});
const redisUrl = process.env.BASCULE_BENCH_REDIS;
const redis = redisUrl ? createRedisClient(redisUrl) : undefined;
// As the gateway role runs it: admission leases on (ADR 0034).
const auth = redis ? createKeyAuthenticator({ redis, leases: true }) : undefined;
const gateway = createGateway({
  resources: createStaticResources({ models: [model], routes: [route] }),
  endpoints: createStaticEndpointStore({ bench: [{ url: upstream, ready: true }] }),
  secrets: createInMemorySecretSource(),
  ...(redis && auth
    ? {
        authenticate: auth.authenticate,
        // Metering as the control plane wires it (metering-sink.ts): per-day usage counters and
        // the dashboard's per-minute series, both summed in memory and flushed.
        usage: withMinuteSeries(createRedisUsageSink({ redis, gatewayId: 'bench' }), { redis }),
        onUsage: auth.settle,
      }
    : {}),
});
const running = await startGateway({ gateway, http: mode });
process.stdout.write(`${new URL(running.url).port}\n`);
// Profiling on demand (after warm-up): SIGUSR2 starts the V8 CPU profiler, SIGTERM writes
// the profile to $BASCULE_BENCH_PROFILE before exiting.
const profileOut = process.env.BASCULE_BENCH_PROFILE;
const session = profileOut ? new Session() : undefined;
session?.connect();
const post = (method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) =>
    session!.post(method, params, (err, res) => (err ? reject(err) : resolve(res))),
  );
process.on('SIGUSR2', () => {
  // A sample every 50 µs (V8's default is 1 ms): enough samples to rank functions of a few µs.
  void post('Profiler.enable')
    .then(() => post('Profiler.setSamplingInterval', { interval: 50 }))
    .then(() => post('Profiler.start'));
});
process.on('SIGTERM', () => {
  const stop = session
    ? post('Profiler.stop').then((r) =>
        writeFile(profileOut!, JSON.stringify((r as { profile: unknown }).profile)),
      )
    : Promise.resolve();
  void stop
    .then(() => running.close())
    .then(() => gateway.close())
    .then(() => redis?.quit())
    .finally(() => process.exit(0));
});
