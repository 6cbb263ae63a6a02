import type { SecretKeyRef, SecretSource } from './secret-source.js';

export interface InMemorySecretSource extends SecretSource {
  /** Creates or replaces a Secret's data and notifies listeners. */
  set(namespace: string, name: string, data: Record<string, string>): void;
  delete(namespace: string, name: string): void;
  onChange(listener: (secret: { namespace: string; name: string }) => void): () => void;
}

export function createInMemorySecretSource(
  initial: { namespace: string; name: string; data: Record<string, string> }[] = [],
): InMemorySecretSource {
  const secrets = new Map<string, Record<string, string>>();
  const listeners = new Set<(s: { namespace: string; name: string }) => void>();
  const id = (ns: string, name: string): string => `${ns}/${name}`;
  for (const s of initial) secrets.set(id(s.namespace, s.name), { ...s.data });
  const notify = (namespace: string, name: string): void => {
    for (const l of listeners) l({ namespace, name });
  };
  return {
    get(ref: SecretKeyRef) {
      return Promise.resolve(secrets.get(id(ref.namespace, ref.name))?.[ref.key]);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(namespace, name, data) {
      secrets.set(id(namespace, name), { ...data });
      notify(namespace, name);
    },
    delete(namespace, name) {
      secrets.delete(id(namespace, name));
      notify(namespace, name);
    },
  };
}
