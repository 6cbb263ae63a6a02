import { pino, type Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { USAGE, UsageError, parseServeArgs } from './cli/parse-serve-args.js';
import { roleNeeds, type ServeConfig } from './config/serve-config.js';
import { startOpsServer } from './ops/start-ops-server.js';
import { ROLE_MODULES, availableRoles } from './roles/role-modules.js';
import { createServices } from './roles/services.js';
import { startTracing, type Tracing } from './tracing/start-tracing.js';
import type { RunningRole } from './roles/role.js';

/** The process around `serve`: output streams and a way to wait for a stop signal. */
export interface ServeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Resolves on the first SIGTERM/SIGINT. */
  stopSignal(): Promise<string>;
  /** The environment the configuration is read from (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** `bascule <argv>`: returns the exit code (2 for usage errors, 1 for start-up failures). */
export async function runServer(argv: readonly string[], io: ServeIo): Promise<number> {
  let config: ServeConfig;
  try {
    const parsed = parseServeArgs(argv, availableRoles(), io.env ?? process.env);
    if (parsed.kind === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    config = parsed.config;
    // What the roles that run need of the environment, before any of them starts.
    const unmet = roleNeeds(config);
    if (unmet) throw new UsageError(`${unmet.variable}: ${unmet.message}`, true);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`bascule-server: ${err.message}\n${err.fromEnv ? '' : `\n${USAGE}`}`);
    return 2;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'bascule' } }, io.stdout);
  return serve(config, logger, io);
}

async function serve(config: ServeConfig, logger: Logger, io: ServeIo): Promise<number> {
  const tracing = await startTracing(config.tracing, config.identity);
  if (tracing) logger.info('tracing on: spans are exported as OTLP/HTTP (OTEL_* settings)');
  const code = await serveRoles(config, logger, io, tracing);
  await tracing?.shutdown().catch((err: unknown) => {
    logger.warn({ err: message(err) }, 'could not flush the last spans');
  });
  return code;
}

async function serveRoles(
  config: ServeConfig,
  logger: Logger,
  io: ServeIo,
  tracing: Tracing | undefined,
): Promise<number> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const services = createServices({
    config,
    logger,
    registry,
    logStream: io.stdout,
    ...(tracing ? { tracer: (c: string) => tracing.tracer(c) } : {}),
  });
  const running: { name: string; role: RunningRole }[] = [];
  const ops = await startOpsServer({
    host: config.metricsHost,
    port: config.metricsPort,
    registry,
    ready: () => running.length === config.roles.length && running.every((r) => r.role.ready()),
  }).catch((err: unknown) => {
    logger.fatal({ err: message(err) }, `cannot listen on --metrics-port ${config.metricsPort}`);
    return undefined;
  });
  if (!ops) return 1;
  logger.info({ url: ops.url, roles: config.roles }, 'metrics and health endpoints listening');
  const stopAll = async () => {
    for (const { name, role } of running.reverse()) {
      await role
        .stop()
        .catch((err: unknown) =>
          logger.error({ role: name, err: message(err) }, 'role failed to stop'),
        );
    }
    await ops.close();
  };
  const signal = io.stopSignal();
  let stoppedEarly: string | undefined;
  void signal.then((s) => (stoppedEarly = s));
  for (const module of ROLE_MODULES.filter((m) => config.roles.includes(m.name))) {
    try {
      const role = await Promise.race([module.start(services), signal.then(() => undefined)]);
      if (!role) break;
      running.push({ name: module.name, role });
      logger.info({ role: module.name }, 'role started');
    } catch (err) {
      logger.fatal({ role: module.name, err: message(err) }, 'role failed to start');
      await stopAll();
      return 1;
    }
  }
  const received = stoppedEarly ?? (await signal);
  logger.info({ signal: received }, 'stopping: finishing work in flight');
  await stopAll();
  logger.info('stopped');
  return 0;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
