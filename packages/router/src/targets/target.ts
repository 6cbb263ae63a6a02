import type { ComplexityTier, Model, Provider, ProviderModel, Strength } from '@bascule/spec';

/** A self-hosted Model a request may go to. */
export interface ModelTarget {
  kind: 'model';
  /** The Model's metadata.name. */
  name: string;
  model: Model;
  /** A LoRA adapter of the Model the request names: sent as "model" to replicas that have it. */
  adapter?: string;
  tier?: ComplexityTier;
  /** What the Route says this target is good at. */
  strengths?: readonly Strength[];
}

/** A model of a Provider (a closed or external API). */
export interface ProviderTarget {
  kind: 'provider';
  /** `provider/model`. */
  name: string;
  provider: Provider;
  providerModel: ProviderModel;
  tier?: ComplexityTier;
  /** What the Route says this target is good at. */
  strengths?: readonly Strength[];
}

export type Target = ModelTarget | ProviderTarget;

export function isExternal(t: Target): t is ProviderTarget {
  return t.kind === 'provider';
}
