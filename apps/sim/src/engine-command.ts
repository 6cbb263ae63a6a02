// `pnpm sim engine --engine vllm --model meta-llama/Llama-3.1-8B-Instruct --gpu h100 --port 8000`:
// runs one simulated vLLM or TGI server until SIGINT/SIGTERM. Every flag except the few below
// is passed to the engine exactly as a Deployment would pass it.
import {
  EngineArgsError,
  EngineStartupError,
  startEngineSim,
  UnknownGpuError,
  type EngineKind,
} from '@bascule/engine-sim';

export const summary =
  'simulated vLLM / TGI server (real flags, HTTP API, metrics, batching latency)';

const USAGE = `Usage: pnpm sim engine [--engine vllm|tgi] [engine flags...] [sim flags...]

  --engine vllm|tgi          which engine to imitate (default: tgi if --model-id is given, else vllm)
  --tokenizer tiktoken|approx  prompt token counting (default tiktoken, cl100k_base)

Engine flags are vLLM's (--model, --served-model-name, --port, --max-num-seqs, --max-model-len,
--tensor-parallel-size, --gpu-memory-utilization, --enable-lora, --lora-modules, --dtype,
--quantization, ...) or TGI's (--model-id, --port, --max-concurrent-requests, --max-input-tokens,
--max-total-tokens, --num-shard, --quantize, ...). Unknown engine flags are ignored.

Sim flags:
  --gpu TYPE                 h100 (default), a100, h200, b200, l40s, l4, a10g, t4
  --params-b N               model size in billions (default: read from the model name, else 8)
  --time-scale F             run F times faster than real time (default 1)
  --load-seconds S           simulated model load before /health is 200 (default: from model size)
  --output-tokens SPEC       max | fixed:N | uniform:A-B (default uniform:32-256, capped by max_tokens)
  --fault-error-rate P       share of requests answered 500 (TGI: 424)
  --fault-unavailable-rate P share of requests answered 503
  --fault-hang-rate P        share of requests never answered
  --fault-slow-stream-ms MS  extra delay between streamed events
  --fault-crash-after N      crash (drop connections, exit 1) after N requests

Faults can be changed while running: GET/POST /admin/faults.
`;

export interface EngineCommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Aborting stops the engine (the CLI wires SIGINT/SIGTERM to it). */
  signal: AbortSignal;
}

/** Splits off the command's own flags; the rest goes to the engine untouched. */
function splitOwnFlags(argv: string[]): {
  engine?: EngineKind;
  tokenizer?: 'tiktoken' | 'approx';
  rest: string[];
  help: boolean;
} {
  const rest: string[] = [];
  let engine: EngineKind | undefined;
  let tokenizer: 'tiktoken' | 'approx' | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=')
      ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
      : [a, undefined];
    if (flag === '--help' || flag === '-h') help = true;
    else if (flag === '--engine' || flag === '--tokenizer') {
      const value = inline ?? argv[++i];
      if (flag === '--engine') {
        if (value !== 'vllm' && value !== 'tgi')
          throw new EngineArgsError(
            `sim engine: --engine must be vllm or tgi (got ${value ?? 'nothing'})`,
            '--engine',
          );
        engine = value;
      } else {
        if (value !== 'tiktoken' && value !== 'approx')
          throw new EngineArgsError(
            `sim engine: --tokenizer must be tiktoken or approx (got ${value ?? 'nothing'})`,
            '--tokenizer',
          );
        tokenizer = value;
      }
    } else rest.push(a);
  }
  return { engine, tokenizer, rest, help };
}

/** Runs the engine until `io.signal` aborts or a crash fault fires; returns the exit code. */
export async function serveEngine(argv: string[], io: EngineCommandIo): Promise<number> {
  let own: ReturnType<typeof splitOwnFlags>;
  try {
    own = splitOwnFlags(argv);
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 2;
  }
  if (own.help) {
    io.out(USAGE);
    return 0;
  }
  let engine;
  try {
    engine = await startEngineSim({ argv: own.rest, engine: own.engine, tokenizer: own.tokenizer });
  } catch (e) {
    if (e instanceof EngineArgsError) {
      io.err(`${e.message}\n`);
      return e.exitCode;
    }
    if (
      e instanceof EngineStartupError ||
      e instanceof UnknownGpuError ||
      e instanceof RangeError
    ) {
      io.err(`${e.message}\n`);
      return 1;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      io.err(`sim engine: cannot listen: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
  const { config, runtime } = engine;
  const c = runtime.calibration;
  io.out(
    `engine-sim (${engine.engine}) serving ${config.servedModelNames.join(', ')} on ${c.gpu.key} x${c.tensorParallel} ` +
      `(${c.paramsB}B params; step = ${c.coefficients.b0.toFixed(1)} + ${c.coefficients.b1.toFixed(2)}·prefill + ${c.coefficients.b2.toFixed(2)}·decode µs; ` +
      `KV ${runtime.kvCapacityTokens} tokens; max seqs ${config.maxNumSeqs}; step budget ${runtime.maxNumBatchedTokens} tokens)\n`,
  );
  io.out(`listening on ${engine.url}\n`);
  const onAbort = () => void engine.close();
  if (io.signal.aborted) onAbort();
  else io.signal.addEventListener('abort', onAbort, { once: true });
  engine.ready.then(
    () => io.out(`ready: ${engine.url}/health is 200\n`),
    () => undefined,
  );
  const code = await engine.exited;
  io.signal.removeEventListener('abort', onAbort);
  if (code !== 0)
    io.err(
      `engine-sim: crashed (injected fault after ${runtime.faults.crashAfterRequests} requests)\n`,
    );
  return code;
}

export function run(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return serveEngine(argv, {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    signal: controller.signal,
  }).finally(() => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  });
}
