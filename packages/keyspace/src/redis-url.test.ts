import { describe, expect, it } from 'vitest';
import {
  apiKeyIndexKey,
  apiKeyRecordKey,
  authHead,
  keySpendKey,
  usageFlushKey,
  usageKey,
} from './keyspace.js';
import { parseRedisUrl } from './redis-url.js';

/** The hash tag Redis Cluster hashes: the first non-empty `{...}`, else the whole key. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('parseRedisUrl', () => {
  it('keeps a redis:// URL for one server', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379/2')).toEqual({
      kind: 'single',
      url: 'redis://127.0.0.1:6379/2',
    });
  });

  it('reads seed nodes, credentials and TLS from a cluster URL', () => {
    expect(parseRedisUrl('redis+cluster://10.0.0.1:7000,10.0.0.2:7001,[::1]:7002')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      tls: false,
    });
    expect(parseRedisUrl('rediss+cluster://me:p%40ss@redis.example:6380')).toEqual({
      kind: 'cluster',
      nodes: [{ host: 'redis.example', port: 6380 }],
      username: 'me',
      password: 'p@ss',
      tls: true,
    });
  });

  it('names what is wrong', () => {
    expect(() => parseRedisUrl('http://x:1')).toThrow(/unsupported scheme "http:"/);
    expect(() => parseRedisUrl('redis+cluster://a:1,b:notaport')).toThrow(/"b:notaport"/);
    expect(() => parseRedisUrl('not a url')).toThrow(/not a URL/);
  });
});

describe('hash tags', () => {
  it('the admission script keys share one slot', () => {
    const tags = new Set(
      [
        apiKeyRecordKey('abc'),
        apiKeyIndexKey(),
        keySpendKey('key_1', '2026-12'),
        `${authHead()}rl:x`,
      ].map(hashTag),
    );
    expect([...tags]).toEqual(['auth']);
  });

  it('a usage flush touches one slot', () => {
    expect(hashTag(usageFlushKey('gw:1'))).toBe(hashTag(usageKey('2026-12-06', 'route', 'chat')));
  });
});
