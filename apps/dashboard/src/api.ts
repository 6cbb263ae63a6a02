// Calls the control API with the signed-in key. The key lives in sessionStorage only (gone when
// the tab closes), travels only in the Authorization header, and never in a URL.
const KEY = 'bascule.apiKey';

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  signIn: (key: string) => sessionStorage.setItem(KEY, key),
  signOut: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string): Promise<T> {
  const key = session.key();
  const res = await fetch(path, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
    cache: 'no-store',
  });
  const text = await res.text();
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = JSON.parse(text) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(res.status, message);
  }
  return JSON.parse(text) as T;
}

export interface WhoAmI {
  keyId: string;
  name: string;
  tenant: string;
  role: 'admin' | 'operator' | 'user';
  pages: string[];
  prometheusUrl?: string;
}

export interface Series {
  start: number;
  step: number;
  points: number;
  requestsPerS: number[];
  errorsPerS: number[];
  tokensPerS: number[];
  usdPerHourSelf: number[];
  usdPerHourClosed: number[];
  overflowShare: Record<string, number[]>;
  latencyP50Ms: (number | null)[];
  latencyP99Ms: (number | null)[];
  ttftP50Ms: (number | null)[];
  ttftP99Ms: (number | null)[];
  decisions: Record<string, number[]>;
  gauges: Record<string, (number | null)[]>;
  totals: {
    requests: number;
    errors: number;
    inputTokens: number;
    outputTokens: number;
    usdSelf: number;
    usdClosed: number;
    overflow: Record<string, number>;
    decisions: Record<string, number>;
  };
}

export async function series(scopes: string[], minutes: number): Promise<Record<string, Series>> {
  const q = new URLSearchParams({ scopes: scopes.join(','), minutes: String(minutes) });
  return (await api<{ series: Record<string, Series> }>(`/api/v1/dashboard/series?${q}`)).series;
}
