import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ADMIN_FAULTS_PATH, handleAdminFaults } from './admin-faults.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import type { EngineConfig, EngineKind } from './engine-config.js';
import type { EngineDialect } from './engine-dialect.js';
import { defaultLoadSeconds, EngineRuntime } from './engine-runtime.js';
import { listenOn, readJson } from './http-io.js';
import { inferEngine, parseEngineArgs } from './parse-engine-args.js';
import { TGI_DEFAULTS } from './parse-tgi-args.js';
import { VLLM_DEFAULTS } from './parse-vllm-args.js';
import { tgiDialect } from './tgi-dialect.js';
import type { TokenizerKind } from './token-counter.js';
import { vllmDialect } from './vllm-dialect.js';
import { runtimeLoraUpdatingAllowed } from './vllm-lora-admin.js';

export interface EngineSimOptions {
  /** The container's args as a Deployment gives them (vLLM or TGI flags). */
  argv: string[];
  /** Default: TGI if --model-id is present, else vLLM. */
  engine?: EngineKind;
  /** Default --host/--hostname, else 127.0.0.1. */
  host?: string;
  /** Default --port, else 8000 (vLLM) / 80 (TGI); 0 = ephemeral. */
  port?: number;
  /** GPU type ('h100', 'NVIDIA-A100-SXM4-80GB'...). Default --gpu, else h100. */
  gpu?: string;
  /** >1 runs faster than real time. Default --time-scale, else 1. */
  timeScale?: number;
  /** Simulated model load (model seconds) before /health is healthy. Default from model size. */
  loadSeconds?: number;
  /** Injected for virtual-time tests. */
  clock?: Clock;
  /**
   * The container's environment: VLLM_ALLOW_RUNTIME_LORA_UPDATING enables vLLM's runtime
   * adapter API. Default: none (not this process's environment).
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Prompt token counting: 'tiktoken' (default) or 'approx' (chars/4). */
  tokenizer?: TokenizerKind;
  /** Receives the server's log lines (what the real engine prints; kube-sim's `kubectl logs`). */
  log?: (line: string) => void;
}

export interface RunningEngine {
  url: string;
  host: string;
  port: number;
  /** Resolves when the simulated model load is done and /health answers 200. */
  ready: Promise<void>;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
  /** Resolves with the exit code when the engine stops: 0 after close(), 1 after a crash fault. */
  exited: Promise<number>;
  engine: EngineKind;
  config: EngineConfig;
  runtime: EngineRuntime;
}

/**
 * Starts a simulated vLLM or TGI server. Rejects with EngineArgsError for a bad command line
 * and EngineStartupError when the model would not fit, as the real engine would exit.
 */
export async function startEngineSim(options: EngineSimOptions): Promise<RunningEngine> {
  const engine = options.engine ?? inferEngine(options.argv);
  const parsed = parseEngineArgs(options.argv, engine);
  const config =
    engine === 'vllm'
      ? {
          ...parsed,
          runtimeLoraUpdating: runtimeLoraUpdatingAllowed(
            options.env?.VLLM_ALLOW_RUNTIME_LORA_UPDATING,
          ),
        }
      : parsed;
  const clock = options.clock ?? systemClock;
  const timeScale = options.timeScale ?? config.sim.timeScale ?? 1;
  if (!(timeScale > 0)) throw new RangeError(`timeScale must be > 0 (got ${timeScale})`);
  const runtime = new EngineRuntime({
    config,
    gpu: options.gpu ?? config.sim.gpu ?? 'h100',
    clock,
    timeScale,
    tokenizer: options.tokenizer,
  });
  const dialect: EngineDialect = engine === 'tgi' ? tgiDialect : vllmDialect;
  // A container binds 0.0.0.0; a simulated one stays on loopback unless told otherwise.
  const argvHost = config.host === '0.0.0.0' || config.host === '::' ? undefined : config.host;
  const host = options.host ?? argvHost ?? '127.0.0.1';
  const port =
    options.port ?? config.port ?? (engine === 'tgi' ? TGI_DEFAULTS.port : VLLM_DEFAULTS.port);

  let loaded = false;
  let stopped = false;
  const log = options.log ?? (() => undefined);
  const name = engine === 'tgi' ? 'text-generation-launcher' : 'vLLM API server';
  log(`INFO:     ${name} (engine-sim) starting: ${options.argv.join(' ')}`);
  log(`INFO:     Loading model ${config.model} (tensor parallel ${config.tensorParallel})`);
  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) dialect.internalError(res);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const shutdown = async (code: number): Promise<void> => {
    if (stopped) return exited.then(() => undefined);
    stopped = true;
    log(
      code === 0 ? 'INFO:     Shutting down' : `ERROR:    engine-sim crashed (exit code ${code})`,
    );
    if (loadTimer !== undefined) clock.clearTimeout(loadTimer);
    runtime.scheduler.stop();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
    exit(code);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://engine-sim');
    if (options.log)
      res.on('finish', () =>
        log(
          `INFO:     ${req.socket.remoteAddress ?? '-'}:${req.socket.remotePort ?? 0} - "${req.method ?? 'GET'} ${url.pathname} HTTP/1.1" ${res.statusCode}`,
        ),
      );
    if (url.pathname === ADMIN_FAULTS_PATH) return handleAdminFaults(runtime, req, res);
    const candidates = dialect.routes.filter((r) => r.path === url.pathname);
    if (candidates.length === 0) return dialect.notFound(res);
    const route = candidates.find((r) => r.method === req.method);
    if (!route) return dialect.methodNotAllowed(res);
    if (!loaded) return dialect.loading(res);
    if (route.inference) {
      switch (runtime.drawFault()) {
        case 'crash':
          await shutdown(1);
          return;
        case 'error':
          runtime.metrics.requestFailed('injected');
          return dialect.internalError(res);
        case 'unavailable':
          runtime.metrics.requestFailed('injected');
          return dialect.unavailable(res);
        case 'hang':
          return; // never answered; close() drops the socket
        default:
      }
    }
    let body: unknown;
    if (req.method === 'POST') {
      const read = await readJson(req);
      if (!read.ok) return dialect.invalidBody(res, read.reason);
      body = read.value;
    }
    await route.handler({ runtime, req, res, url, body });
  }

  const { port: boundPort } = await listenOn(server, port, host);

  const loadSeconds =
    options.loadSeconds ??
    config.sim.loadSeconds ??
    defaultLoadSeconds(runtime.paramsB, config.tensorParallel);
  let loadTimer: TimerHandle | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    const done = () => {
      loadTimer = undefined;
      loaded = true;
      log('INFO:     Application startup complete.');
      log(`INFO:     Uvicorn running on http://${host}:${boundPort} (Press CTRL+C to quit)`);
      resolve();
    };
    if (loadSeconds <= 0) done();
    else loadTimer = clock.setTimeout(done, (loadSeconds * 1000) / timeScale);
    void exited.then(() => {
      if (!loaded) reject(new Error('engine-sim stopped before the model finished loading'));
    });
  });
  ready.catch(() => undefined);

  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${boundPort}`,
    host,
    port: boundPort,
    ready,
    close: () => shutdown(0),
    exited,
    engine,
    config,
    runtime,
  };
}
