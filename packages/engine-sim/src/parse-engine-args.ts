import type { EngineConfig, EngineKind } from './engine-config.js';
import { parseTgiArgs } from './parse-tgi-args.js';
import { parseVllmArgs } from './parse-vllm-args.js';

/** The engine a command line is for: TGI when it names `--model-id` (or the launcher), else vLLM. */
export function inferEngine(argv: readonly string[]): EngineKind {
  return argv.some(
    (a) => a === '--model-id' || a.startsWith('--model-id=') || a === 'text-generation-launcher',
  )
    ? 'tgi'
    : 'vllm';
}

/** Parses a vLLM or TGI command line into an {@link EngineConfig}. Throws EngineArgsError. */
export function parseEngineArgs(
  argv: readonly string[],
  engine: EngineKind = inferEngine(argv),
): EngineConfig {
  return engine === 'tgi' ? parseTgiArgs(argv) : parseVllmArgs(argv);
}
