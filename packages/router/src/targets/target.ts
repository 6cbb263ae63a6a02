import type { ComplexityTier, Model, Provider, ProviderModel } from '@bascule/spec';

/** A self-hosted Model a request may go to. */
export interface ModelTarget {
  kind: 'model';
  /** The Model's metadata.name. */
  name: string;
  model: Model;
  tier?: ComplexityTier;
}

/** A model of a Provider (a closed or external API). */
export interface ProviderTarget {
  kind: 'provider';
  /** `provider/model`. */
  name: string;
  provider: Provider;
  providerModel: ProviderModel;
  tier?: ComplexityTier;
}

export type Target = ModelTarget | ProviderTarget;

export function isExternal(t: Target): t is ProviderTarget {
  return t.kind === 'provider';
}
