/**
 * What a call costs as the gateway meters it: a Provider model at its list prices, a Model for
 * the GPU time the request held, shared with the requests in flight beside it. The shadow
 * evaluator charges its calls the same way.
 */
import { gpuCount, type Model, type ProviderModel } from '@bascule/spec';

/** Closed-API cost from the Provider's list prices (cached input at its discounted price). */
export function providerCostUSD(
  m: ProviderModel,
  promptTokens: number,
  completionTokens: number,
  cachedTokens = 0,
): number {
  const cachedPrice = m.cachedInputUSDPer1M ?? m.inputUSDPer1M;
  const fresh = Math.max(0, promptTokens - cachedTokens);
  return (
    (fresh * m.inputUSDPer1M + cachedTokens * cachedPrice + completionTokens * m.outputUSDPer1M) /
    1e6
  );
}

/**
 * Self-hosted cost: the replica's price per hour (gpuHourUSD x GPUs) for the time the request
 * held it, divided by how many requests shared the replica meanwhile (its in-flight count).
 */
export function selfHostedCostUSD(model: Model, durationMs: number, sharedWith: number): number {
  const gpuHour = model.spec.cost?.gpuHourUSD ?? 0;
  if (gpuHour === 0) return 0;
  const gpus = gpuCount(model.spec.gpus);
  return (gpuHour * gpus * (durationMs / 3_600_000)) / Math.max(1, sharedWith);
}
