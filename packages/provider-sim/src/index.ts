// provider-sim: OpenAI, Anthropic and Gemini wire formats for tests and demos.
export { PROVIDER_SIM_DEFAULT_MODELS, startProviderSim } from './start-provider-sim.js';
export { ProviderSimOptionsError } from './validate-options.js';
export type {
  ProviderSimFaults,
  ProviderSimLatency,
  ProviderSimOptions,
  ProviderSimStats,
  ProviderSimType,
  RunningProviderSim,
} from './types.js';
