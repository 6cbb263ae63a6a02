import type { LoadedAdapter } from './plan-adapter-sync.js';

/** vLLM's runtime adapter API on one replica (base URL `http://ip:port`). Injected for tests. */
export interface EngineLoraClient {
  /** The adapters the engine lists in /v1/models (entries with a parent). */
  list(baseUrl: string): Promise<LoadedAdapter[]>;
  /** POST /v1/load_lora_adapter; resolves when vLLM answers 200 (after the load). */
  load(baseUrl: string, name: string, path: string): Promise<void>;
  /** POST /v1/unload_lora_adapter; an adapter already gone counts as unloaded. */
  unload(baseUrl: string, name: string): Promise<void>;
}

/** The engine refused an adapter change; the message is the engine's own. */
export class AdapterChangeError extends Error {
  override name = 'AdapterChangeError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface HttpLoraClientOptions {
  /** Timeout of a /v1/models read (default 5 s). */
  listTimeoutMs?: number;
  /** Timeout of one adapter load: vLLM answers after downloading and loading it (default 120 s). */
  loadTimeoutMs?: number;
}

async function engineMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: string }; message?: string };
    return body.error?.message ?? body.message ?? text;
  } catch {
    return text;
  }
}

/** The real client: fetch against the pod IP (the controller reaches pods as Prometheus does). */
export function createHttpLoraClient(options: HttpLoraClientOptions = {}): EngineLoraClient {
  const post = async (url: string, body: unknown, timeoutMs: number): Promise<Response> =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  return {
    async list(baseUrl) {
      const res = await fetch(`${baseUrl}/v1/models`, {
        signal: AbortSignal.timeout(options.listTimeoutMs ?? 5000),
      });
      if (res.status !== 200)
        throw new AdapterChangeError(`/v1/models answered ${res.status}`, res.status);
      const body = (await res.json()) as {
        data?: { id?: unknown; root?: unknown; parent?: unknown }[];
      };
      return (body.data ?? [])
        .filter((m) => typeof m.parent === 'string' && typeof m.id === 'string')
        .map((m) => ({ name: m.id as string, path: typeof m.root === 'string' ? m.root : '' }));
    },
    async load(baseUrl, name, path) {
      const res = await post(
        `${baseUrl}/v1/load_lora_adapter`,
        { lora_name: name, lora_path: path },
        options.loadTimeoutMs ?? 120_000,
      );
      if (res.status !== 200) {
        throw new AdapterChangeError(
          `loading adapter ${name} from ${path}: ${res.status} ${await engineMessage(res)}`,
          res.status,
        );
      }
      await res.text();
    },
    async unload(baseUrl, name) {
      const res = await post(
        `${baseUrl}/v1/unload_lora_adapter`,
        { lora_name: name },
        options.listTimeoutMs ?? 5000,
      );
      if (res.status !== 200 && res.status !== 404)
        throw new AdapterChangeError(
          `unloading adapter ${name}: ${res.status} ${await engineMessage(res)}`,
          res.status,
        );
      await res.text();
    },
  };
}
