import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createStore,
  startApiServer,
  writeKubeconfig,
  type ApiServer,
  type MemoryStore,
  type StoreOptions,
} from '@bascule/kube-sim';

export interface ApiHarness {
  store: MemoryStore;
  api: ApiServer;
  dir: string;
  kubeconfig: string;
  close(): Promise<void>;
}

/** A kube-sim store and API server on 127.0.0.1:0 with a kubeconfig in a temp dir. */
export async function startApiHarness(
  options: {
    store?: StoreOptions;
    token?: string;
    tls?: boolean;
    watchTimeoutSeconds?: number;
    bookmarkIntervalMs?: number;
  } = {},
): Promise<ApiHarness> {
  const store = createStore(options.store);
  const api = await startApiServer({
    store,
    host: '127.0.0.1',
    port: 0,
    ...(options.token ? { token: options.token } : {}),
    ...(options.tls ? { tls: 'self-signed' as const } : {}),
    ...(options.watchTimeoutSeconds ? { watchTimeoutSeconds: options.watchTimeoutSeconds } : {}),
    ...(options.bookmarkIntervalMs ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
  });
  const dir = await mkdtemp(join(tmpdir(), 'kube-sim-api-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, {
    server: api.url,
    ...(options.token ? { token: options.token } : {}),
    ...(api.caCert ? { caCert: api.caCert } : {}),
  });
  return {
    store,
    api,
    dir,
    kubeconfig,
    async close() {
      await api.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
