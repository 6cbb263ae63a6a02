import { resolveTarget } from './cli-config.js';

/** A failed API call: the server's error code, field path and message. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details: Record<string, unknown>[] = [],
  ) {
    super(message);
  }
}

export interface ApiClient {
  namespace?: string;
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: { json: unknown } | { yaml: string },
  ): Promise<T>;
}

/** The control API at BASCULE_SERVER (or the config's current context) with BASCULE_TOKEN. */
export async function createApiClient(env: NodeJS.ProcessEnv): Promise<ApiClient> {
  const target = await resolveTarget(env);
  return {
    ...(target.namespace ? { namespace: target.namespace } : {}),
    async request<T>(method: string, path: string, body?: { json: unknown } | { yaml: string }) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (target.token) headers.authorization = `Bearer ${target.token}`;
      let payload: string | undefined;
      if (body && 'json' in body) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(body.json);
      } else if (body) {
        headers['content-type'] = 'application/yaml';
        payload = body.yaml;
      }
      let res: Response;
      try {
        res = await fetch(`${target.server}${path}`, {
          method,
          headers,
          ...(payload !== undefined ? { body: payload } : {}),
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        throw new Error(
          `cannot reach ${target.server}: ${cause?.code ?? cause?.message ?? String(err)}`,
        );
      }
      const text = await res.text();
      let data: unknown;
      try {
        data = text ? JSON.parse(text) : {};
      } catch {
        throw new ApiRequestError(
          `${method} ${path}: HTTP ${res.status}: ${text.slice(0, 200)}`,
          res.status,
          'bad_response',
        );
      }
      if (!res.ok) {
        const e = (
          data as {
            error?: {
              code?: string;
              message?: string;
              path?: string;
              details?: Record<string, unknown>[];
            };
          }
        ).error;
        throw new ApiRequestError(
          `${e?.message ?? `HTTP ${res.status}`}${e?.path && !e.message?.includes(e.path) ? ` (${e.path})` : ''}`,
          res.status,
          e?.code ?? 'error',
          e?.details,
        );
      }
      return data as T;
    },
  };
}

export function nsQuery(ns: string | undefined, extra = ''): string {
  const q = [ns ? `namespace=${encodeURIComponent(ns)}` : '', extra].filter(Boolean).join('&');
  return q ? `?${q}` : '';
}
