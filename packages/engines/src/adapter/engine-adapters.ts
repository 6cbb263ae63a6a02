import type { Engine } from '@bascule/spec';
import { tgiAdapter } from '../tgi/tgi-adapter.js';
import { vllmAdapter } from '../vllm/vllm-adapter.js';
import type { EngineAdapter } from './engine-adapter.js';

/** Every engine adapter, by engine name. */
export const ENGINE_ADAPTERS: Readonly<Record<Engine, EngineAdapter>> = {
  vllm: vllmAdapter,
  tgi: tgiAdapter,
};

/** The adapter of an engine. */
export function engineAdapter(engine: Engine): EngineAdapter {
  return ENGINE_ADAPTERS[engine];
}
