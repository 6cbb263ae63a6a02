// engine-sim: simulated vLLM and TGI servers with a continuous-batching latency model.
export { startEngineSim, type EngineSimOptions, type RunningEngine } from './start-engine-sim.js';
export { systemClock, type Clock, type TimerHandle } from './clock.js';
export { VirtualClock } from './virtual-clock.js';
export {
  stepTimeUs,
  ttftUs,
  tpotUs,
  soloRequestUs,
  type LatencyCoefficients,
} from './latency-model.js';
export {
  BatchScheduler,
  DEFAULT_MAX_NUM_BATCHED_TOKENS,
  type KvAllocation,
  type BatchSchedulerOptions,
  type SequenceSpec,
  type SequenceHandle,
  type SchedulerStats,
  type StepInfo,
} from './batch-scheduler.js';
export {
  calibrate,
  REFERENCE_FITS,
  REFERENCE_PARAMS_B,
  TP_EXPONENT,
  UnknownGpuError,
  type Calibration,
  type CalibrationInput,
} from './calibrate.js';
export { GPU_PROFILES, findGpuProfile, type GpuProfile } from './gpu-profiles.js';
export {
  kvCapacityTokens,
  kvBytesPerToken,
  KV_BLOCK_TOKENS,
  type KvCapacityInput,
} from './kv-capacity.js';
export { KvBlockPool } from './kv-block-pool.js';
export {
  blockHashesFromHashIds,
  blockHashesFromTokens,
  mixHash,
  MOONCAKE_HASH_BLOCK_TOKENS,
} from './prefix-block-hashes.js';
export {
  tgiDefaultMaxBatchPrefillTokens,
  vllmDefaultMaxNumBatchedTokens,
  type TgiPrefillDefaultInput,
} from './step-budget-defaults.js';
export { parseParamsB } from './model-size.js';
export { parseEngineArgs, inferEngine } from './parse-engine-args.js';
export { EngineArgsError } from './engine-args-error.js';
export { EngineStartupError, defaultLoadSeconds } from './engine-runtime.js';
export type { EngineConfig, EngineKind, LoraModule, SimSettings } from './engine-config.js';
export { faultSettingsSchema, NO_FAULTS, type FaultSettings } from './fault-settings.js';
export { ADMIN_FAULTS_PATH } from './admin-faults.js';
export { VLLM_VERSION } from './vllm-dialect.js';
export { TGI_VERSION } from './tgi-info.js';
export {
  simulateRequests,
  type SimulateRequestsOptions,
  type SimulatedRequest,
  type SimulatedTiming,
} from './simulate-requests.js';
// Shared by the simulators that answer prompts (engine-sim and provider-sim): deterministic
// randomness, tool-call arguments from a JSON Schema, and the simulated judge.
export { seededRandom, hashSeed } from './seeded-random.js';
export { createRng, hashString, randomId, randomInt, type Rng } from './prng.js';
export { generateToolArguments } from './generate-tool-arguments.js';
export * from './judge/index.js';
// node:http helpers provider-sim shares with engine-sim.
export { listenOn, MAX_BODY_BYTES, sendJson } from './http-io.js';
