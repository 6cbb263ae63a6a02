import {
  ListWatch,
  Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';

export type InformerEvent = 'add' | 'update' | 'delete';

export interface InformerOptions<T extends KubernetesObject> {
  config: KubeConfig;
  /** Watch path, e.g. `/apis/apps/v1/deployments` or `/api/v1/namespaces/ns/pods`. */
  path: string;
  /** Lists the same resources as the path (with the same selectors). */
  list: () => Promise<KubernetesListObject<T>>;
  labelSelector?: string;
  fieldSelector?: string;
  onEvent?: (event: InformerEvent, object: T) => void;
  /** Called when a list or watch fails; the informer restarts by itself after a back-off. */
  onError?: (err: unknown) => void;
  /** First restart delay after an error (default 500 ms, doubling to 30 s). */
  restartDelayMs?: number;
}

/** A cache of one resource kept current by list+watch, restarting itself after errors. */
export interface Informer<T> {
  /** Resolves once the first list has been loaded (retrying failed lists), or on stop(). */
  start(): Promise<void>;
  stop(): Promise<void>;
  list(namespace?: string): readonly T[];
  get(name: string, namespace?: string): T | undefined;
  /** True after the first successful list. */
  hasSynced(): boolean;
}

/**
 * Wraps client-node's ListWatch: it relists after a 410 and re-watches after a server-side close
 * on its own, but stops for good on any other error, so this restarts it with a back-off.
 */
export function createInformer<T extends KubernetesObject>(
  options: InformerOptions<T>,
): Informer<T> {
  let synced = false;
  let stopped = true;
  let markSynced: () => void = () => {};
  let syncedOrStopped = new Promise<void>((resolve) => (markSynced = resolve));
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  const base = options.restartDelayMs ?? 500;
  const list = async () => {
    const result = await options.list();
    synced = true;
    failures = 0;
    // ListWatch fills its cache when this promise settles: report synced after that.
    setImmediate(markSynced);
    return result;
  };
  const lw = new ListWatch<T>(
    options.path,
    new Watch(options.config),
    list,
    false,
    options.labelSelector,
    options.fieldSelector,
  );
  if (options.onEvent) {
    const on = options.onEvent;
    lw.on('add', (o) => on('add', o));
    lw.on('update', (o) => on('update', o));
    lw.on('delete', (o) => on('delete', o));
  }
  lw.on('error', (err: unknown) => {
    if (stopped) return;
    options.onError?.(err);
    const delay = Math.min(30_000, base * 2 ** failures++);
    timer = setTimeout(() => {
      timer = undefined;
      if (!stopped) void lw.start().catch((e: unknown) => options.onError?.(e));
    }, delay);
    timer.unref?.();
  });
  return {
    async start() {
      stopped = false;
      if (!synced) syncedOrStopped = new Promise<void>((resolve) => (markSynced = resolve));
      void lw.start().catch((err: unknown) => options.onError?.(err));
      await syncedOrStopped;
    },
    async stop() {
      stopped = true;
      markSynced();
      if (timer) clearTimeout(timer);
      await lw.stop();
    },
    list: (namespace) => lw.list(namespace),
    get: (name, namespace) => lw.get(name, namespace),
    hasSynced: () => synced,
  };
}
