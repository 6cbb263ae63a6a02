/**
 * The Redis URL forms Bascule accepts, parsed once: `redis://[user:pass@]host:port[/db]` and
 * `rediss://…` for one server, `redis+cluster://[user:pass@]host:port,host:port,…` (or
 * `rediss+cluster://` with TLS) for a Redis Cluster, whose hosts are seed nodes. A bad URL is
 * an Error naming what is wrong; callers prefix the setting's name (BASCULE_REDIS_URL).
 */

export interface RedisNode {
  host: string;
  port: number;
}

export type ParsedRedisUrl =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: RedisNode[]; username?: string; password?: string; tls: boolean };

const CLUSTER = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/?#]+)\/?$/;

export function parseRedisUrl(url: string): ParsedRedisUrl {
  const m = CLUSTER.exec(url.trim());
  if (!m) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new Error(`not a URL: expected redis://host:port or redis+cluster://host:port,…`);
    }
    if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
      throw new Error(
        `unsupported scheme "${u.protocol}": use redis://, rediss://, redis+cluster:// or rediss+cluster://`,
      );
    return { kind: 'single', url };
  }
  const [, scheme, auth, hosts] = m as unknown as [string, string, string | undefined, string];
  const nodes = hosts.split(',').map((h): RedisNode => {
    const hm = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h.trim());
    const port = Number(hm?.[2] ?? 6379);
    if (!hm || !Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`cluster node "${h}" is not host:port`);
    return { host: hm[1]!.replace(/^\[|\]$/g, ''), port };
  });
  const [user, pass] = auth === undefined ? [] : auth.split(':', 2);
  return {
    kind: 'cluster',
    nodes,
    ...(user ? { username: decodeURIComponent(user) } : {}),
    ...(pass !== undefined ? { password: decodeURIComponent(pass) } : {}),
    tls: scheme === 'rediss',
  };
}
