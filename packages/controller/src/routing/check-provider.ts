import type { Provider } from '@bascule/spec';
import type { ReadyVerdict } from './ready-verdict.js';

/**
 * What the controller learnt about a Provider's key Secret: which keys hold a value. Never the
 * values themselves.
 */
export type SecretLookup =
  | { state: 'found'; keys: Readonly<Record<string, boolean>> }
  | { state: 'missing' }
  | { state: 'forbidden'; message: string };

/**
 * Ready of a valid Provider (pure): its API key resolves from the referenced Secret key.
 * `secret` is undefined when the Provider references no Secret.
 */
export function checkProvider(provider: Provider, secret: SecretLookup | undefined): ReadyVerdict {
  const ref = provider.spec.apiKeySecretRef;
  const namespace = provider.metadata.namespace ?? 'default';
  if (!ref) {
    return {
      status: 'True',
      reason: 'NoAPIKey',
      message: `type ${provider.spec.type} without apiKeySecretRef: requests are sent without an API key`,
    };
  }
  const where = `Secret ${ref.name} (spec.apiKeySecretRef)`;
  if (!secret || secret.state === 'missing') {
    return {
      status: 'False',
      reason: 'SecretNotFound',
      message: `${where} not found in namespace ${namespace}: create it, e.g. kubectl create secret generic ${ref.name} -n ${namespace} --from-literal=${ref.key}=<API key>`,
    };
  }
  if (secret.state === 'forbidden') {
    return {
      status: 'Unknown',
      reason: 'SecretUnreadable',
      message: `the controller may not read ${where} in namespace ${namespace} (${secret.message}); the gateway reads Provider keys in its own namespace only`,
    };
  }
  const has = secret.keys[ref.key];
  if (has === undefined) {
    const keys = Object.keys(secret.keys).sort();
    return {
      status: 'False',
      reason: 'SecretKeyMissing',
      message: `${where} has no key ${ref.key} (${keys.length > 0 ? `it has ${keys.join(', ')}` : 'it is empty'}): set spec.apiKeySecretRef.key to the key holding the API key, or add it to the Secret`,
    };
  }
  if (!has) {
    return {
      status: 'False',
      reason: 'SecretKeyMissing',
      message: `key ${ref.key} of ${where} is empty: put the API key there`,
    };
  }
  return {
    status: 'True',
    reason: 'SecretResolved',
    message: `the API key resolves from Secret ${ref.name}, key ${ref.key}`,
  };
}
