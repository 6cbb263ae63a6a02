import type { SecretKeyRef, SecretSource } from './secret-source.js';

/** `BASCULE_SECRET_<NAMESPACE>_<NAME>_<KEY>`, upper-cased, other characters as `_`. */
export function secretEnvName(ref: SecretKeyRef): string {
  const part = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return `BASCULE_SECRET_${part(ref.namespace)}_${part(ref.name)}_${part(ref.key)}`;
}

/** Reads keys from environment variables (no cluster needed); see `secretEnvName`. */
export function createEnvSecretSource(env: NodeJS.ProcessEnv = process.env): SecretSource {
  return {
    get(ref) {
      const v = env[secretEnvName(ref)];
      return Promise.resolve(v === '' ? undefined : v);
    },
  };
}
