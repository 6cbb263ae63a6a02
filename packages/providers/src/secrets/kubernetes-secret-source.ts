import { ApiException, CoreV1Api, Watch, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import type { SecretKeyRef, SecretSource } from './secret-source.js';

export interface KubernetesSecretSourceOptions {
  /** Watch only this namespace (needs only a Role); all namespaces when absent. */
  namespace?: string;
  logger?: Logger;
  /** Delay before re-opening a watch that ended (default 1 s). */
  rewatchDelayMs?: number;
}

type ChangeListener = (secret: { namespace: string; name: string }) => void;

/**
 * Reads API keys from Kubernetes Secrets (`get`) and reports every change to a Secret through a
 * watch (`list`/`watch` on secrets), so `createCachedSecretSource` drops a rotated key at once.
 * Values are never logged. Close to stop the watch.
 */
export function createKubernetesSecretSource(
  kubeConfig: KubeConfig,
  options: KubernetesSecretSourceOptions = {},
): SecretSource & { close(): void } {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const logger = options.logger ?? silentLogger;
  const listeners = new Set<ChangeListener>();
  let closed = false;
  let watching: AbortController | undefined;
  let timer: NodeJS.Timeout | undefined;
  const path = options.namespace
    ? `/api/v1/namespaces/${options.namespace}/secrets`
    : '/api/v1/secrets';

  const startWatch = (): void => {
    if (closed || watching || listeners.size === 0) return;
    const placeholder = new AbortController();
    watching = placeholder;
    const rewatch = (err: unknown): void => {
      watching = undefined;
      if (closed) return;
      if (err) logger.warn({ error: describe(err) }, 'secret watch ended; re-opening');
      timer = setTimeout(startWatch, options.rewatchDelayMs ?? 1_000);
    };
    new Watch(kubeConfig)
      .watch(
        path,
        { allowWatchBookmarks: true },
        (phase: string, obj: { metadata?: { namespace?: string; name?: string } }) => {
          const ns = obj.metadata?.namespace;
          const name = obj.metadata?.name;
          if (phase === 'BOOKMARK' || !ns || !name) return;
          for (const l of listeners) l({ namespace: ns, name });
        },
        rewatch,
      )
      .then((ac) => {
        if (watching === placeholder) watching = ac;
        if (closed) ac.abort();
      })
      .catch(rewatch);
  };

  return {
    async get(ref: SecretKeyRef) {
      try {
        const secret = await core.readNamespacedSecret({
          name: ref.name,
          namespace: ref.namespace,
        });
        const value = secret.data?.[ref.key];
        return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
      } catch (err) {
        if (err instanceof ApiException && err.code === 404) return undefined;
        throw new Error(`cannot read Secret ${ref.namespace}/${ref.name}: ${describe(err)}`);
      }
    },
    onChange(listener) {
      listeners.add(listener);
      startWatch();
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      watching?.abort();
      watching = undefined;
    },
  };
}

/** A short description of a client error (status and reason only, never a body or headers). */
function describe(err: unknown): string {
  if (err instanceof ApiException) return `HTTP ${err.code}`;
  return err instanceof Error ? err.message.slice(0, 200) : 'unknown error';
}
