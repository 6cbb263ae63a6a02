import { describe, expect, it } from 'vitest';
import { parseServeArgs } from '../cli/parse-serve-args.js';
import { roleNeeds, type ServeConfig } from './serve-config.js';

const ALL = ['api', 'gateway', 'controller', 'worker'];
const ADMIN = 'bsc-serve-env-test-admin-key-0000';

function configOf(env: Record<string, string>, roles = 'gateway,controller,worker'): ServeConfig {
  const parsed = parseServeArgs(['--roles', roles], ALL, env);
  if (parsed.kind !== 'serve') throw new Error('expected serve');
  return parsed.config;
}

describe('the environment, parsed once with the flags', () => {
  it('gives every role the defaults it used to read itself', () => {
    const c = configOf({});
    expect(c.redisUrl).toBeUndefined();
    expect(c.batchDir).toBe('/var/lib/bascule/batches');
    expect(c.egressAllow).toEqual([]);
    expect(c.complexityScorer).toBe('heuristic');
    expect(c.tracing).toBeUndefined();
    expect(c.api).toEqual({ host: '0.0.0.0', port: 8081 });
    expect(c.gateway).toEqual({
      host: '0.0.0.0',
      port: 8080,
      auth: 'none',
      accessLog: true,
      accessLogSample: 1,
      accessLogPrompts: false,
    });
    expect(c.worker).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      concurrency: 64,
      slots: 16,
      webhookAllowPrivate: false,
    });
    expect(c.autoscaler).toEqual({ enabled: true, intervalMs: 2000 });
    expect(c.identity).toMatch(/^.+-\d+$/);
  });

  it('reads each variable into the setting of the role that uses it', () => {
    const c = configOf(
      {
        BASCULE_REDIS_URL: 'redis://r:6380/2',
        BASCULE_BATCH_DIR: '/b',
        BASCULE_ADMIN_KEY: ADMIN,
        BASCULE_EGRESS_ALLOW: '127.0.0.0/8,::1',
        BASCULE_API_HOST: '127.0.0.1',
        BASCULE_API_PORT: '0',
        BASCULE_PROMETHEUS_URL: 'http://prom:9090',
        BASCULE_GATEWAY_PORT: '18080',
        BASCULE_ACCESS_LOG: 'off',
        BASCULE_ACCESS_LOG_SAMPLE: '0.25',
        BASCULE_GATEWAY_URL: 'http://gw:8080',
        BASCULE_WEBHOOK_SIGNING_KEY: 'sixteen-chars-at-least',
        BASCULE_WORKER_CONCURRENCY: '8',
        BASCULE_WORKER_SLOTS: '2',
        BASCULE_WEBHOOK_ALLOW_PRIVATE: 'true',
        BASCULE_AUTOSCALER: 'off',
        BASCULE_AUTOSCALER_INTERVAL: '500ms',
        OTEL_TRACES_EXPORTER: 'console',
        OTEL_SERVICE_NAME: 'gw',
      },
      'api,gateway,controller,worker',
    );
    expect(c).toMatchObject({
      redisUrl: 'redis://r:6380/2',
      batchDir: '/b',
      adminKey: ADMIN,
      api: { host: '127.0.0.1', port: 0, prometheusUrl: 'http://prom:9090' },
      gateway: { port: 18080, auth: 'keys', accessLog: false, accessLogSample: 0.25 },
      worker: {
        redisUrl: 'redis://r:6380/2',
        gatewayUrl: 'http://gw:8080',
        webhookSigningKey: 'sixteen-chars-at-least',
        concurrency: 8,
        slots: 2,
        webhookAllowPrivate: true,
        gatewayKey: ADMIN,
      },
      autoscaler: { enabled: false, intervalMs: 500 },
      tracing: { exporter: 'console', serviceName: 'gw' },
    });
    expect(c.egressAllow).toHaveLength(2);
  });

  it.each([
    [
      { BASCULE_REDIS_URL: 'http://r:6379' },
      'BASCULE_REDIS_URL: must be a redis:// or rediss:// URL',
    ],
    [{ BASCULE_API_PORT: '70000' }, 'BASCULE_API_PORT: must be 0..65535'],
    [{ BASCULE_GATEWAY_PORT: 'eighty' }, 'BASCULE_GATEWAY_PORT: must be a port number'],
    [{ BASCULE_AUTH: 'maybe' }, 'BASCULE_AUTH:'],
    [{ BASCULE_ACCESS_LOG_SAMPLE: '2' }, 'BASCULE_ACCESS_LOG_SAMPLE:'],
    [{ BASCULE_WORKER_CONCURRENCY: '0' }, 'BASCULE_WORKER_CONCURRENCY:'],
    [{ BASCULE_WORKER_KEY: 'short' }, 'BASCULE_WORKER_KEY: must be a bsc-... key'],
    [{ BASCULE_WEBHOOK_SIGNING_KEY: 'short' }, 'BASCULE_WEBHOOK_SIGNING_KEY: must be at least 16'],
    [{ BASCULE_GATEWAY_URL: 'gateway' }, 'BASCULE_GATEWAY_URL: must be the gateway URL'],
    [{ BASCULE_AUTOSCALER_INTERVAL: '2' }, 'BASCULE_AUTOSCALER_INTERVAL: must be a duration'],
    [{ BASCULE_EGRESS_ALLOW: '10.0.0.0/99' }, 'BASCULE_EGRESS_ALLOW:'],
    [{ OTEL_TRACES_EXPORTER: 'jaeger' }, 'OTEL_TRACES_EXPORTER: "jaeger" is not supported'],
    [
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      'OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" is not supported',
    ],
  ])('%j is refused naming the variable', (env, message) => {
    expect(() => configOf(env)).toThrow(message);
  });

  it('checks what a role needs only when that role runs', () => {
    const needs = (env: Record<string, string>, roles: string) => roleNeeds(configOf(env, roles));
    // The gateway takes any admin key; the api wants one that looks like a key.
    expect(needs({ BASCULE_ADMIN_KEY: 'x', BASCULE_REDIS_URL: 'redis://r' }, 'gateway')).toBe(
      undefined,
    );
    expect(needs({ BASCULE_ADMIN_KEY: 'x', BASCULE_REDIS_URL: 'redis://r' }, 'api')).toEqual({
      variable: 'BASCULE_ADMIN_KEY',
      message: 'must be bsc- and at least 20 characters of [A-Za-z0-9_-]',
    });
    expect(needs({}, 'api')).toEqual({
      variable: 'BASCULE_REDIS_URL',
      message: 'the api role needs BASCULE_REDIS_URL (keys) or BASCULE_ADMIN_KEY (bootstrap admin)',
    });
    expect(needs({ BASCULE_ADMIN_KEY: ADMIN }, 'api')).toBe(undefined);
    expect(needs({ BASCULE_AUTH: 'keys' }, 'gateway')).toEqual({
      variable: 'BASCULE_REDIS_URL',
      message: 'BASCULE_AUTH=keys needs BASCULE_REDIS_URL (the key store)',
    });
    expect(needs({ BASCULE_ADMIN_KEY: ADMIN }, 'gateway')?.message).toBe(
      'BASCULE_AUTH=keys needs BASCULE_REDIS_URL (the key store)',
    );
    expect(needs({ BASCULE_AUTH: 'keys' }, 'controller,worker')).toBe(undefined);
  });
});
