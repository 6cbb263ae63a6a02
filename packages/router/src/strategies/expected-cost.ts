import { gpuCount } from '@bascule/spec';
import type { RoutingRequest } from '../request/routing-request.js';
import type { Target } from '../targets/target.js';

/** Output tokens assumed when the client sets no max_tokens. */
export const DEFAULT_EXPECTED_OUTPUT_TOKENS = 256;
/** Tokens per second one replica processes at its usual batch size (cost-strategy estimate). */
export const DEFAULT_REPLICA_TOKENS_PER_SECOND = 2_000;

/**
 * Expected USD cost of a request on a target. Providers: list prices per million tokens.
 * Models: the replica's hourly price (gpuHourUSD x GPUs) for the seconds its tokens take at
 * `replicaTokensPerSecond`. A Model without a cost is free.
 */
export function expectedCostUSD(
  target: Target,
  request: Pick<RoutingRequest, 'promptTokens' | 'maxOutputTokens' | 'kind'>,
  replicaTokensPerSecond = DEFAULT_REPLICA_TOKENS_PER_SECOND,
): number {
  const output =
    request.kind === 'embeddings' ? 0 : (request.maxOutputTokens ?? DEFAULT_EXPECTED_OUTPUT_TOKENS);
  if (target.kind === 'provider') {
    const p = target.providerModel;
    return (request.promptTokens * p.inputUSDPer1M + output * p.outputUSDPer1M) / 1e6;
  }
  const gpuHour = target.model.spec.cost?.gpuHourUSD ?? 0;
  if (gpuHour === 0) return 0;
  const gpus = gpuCount(target.model.spec.gpus);
  const seconds = (request.promptTokens + output) / replicaTokensPerSecond;
  return (gpuHour * gpus * seconds) / 3600;
}
