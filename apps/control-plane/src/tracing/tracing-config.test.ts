import { describe, expect, it } from 'vitest';
import { TracingConfigError, tracingConfigFromEnv } from './tracing-config.js';

describe('tracing settings from OTEL_* variables', () => {
  it('is off by default, and when disabled or set to none', () => {
    expect(tracingConfigFromEnv({})).toBeUndefined();
    expect(tracingConfigFromEnv({ OTEL_SERVICE_NAME: 'x' })).toBeUndefined();
    expect(
      tracingConfigFromEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_TRACES_EXPORTER: 'none',
      }),
    ).toBeUndefined();
    expect(
      tracingConfigFromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' }),
    ).toBeUndefined();
  });

  it('turns on with an OTLP endpoint or an explicit exporter, with the standard sampler', () => {
    expect(tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toEqual({
      exporter: 'otlp',
      serviceName: 'bascule',
      sampler: { kind: 'parentbased_always_on' },
      scheduleDelayMs: 5000,
    });
    expect(
      tracingConfigFromEnv({
        OTEL_TRACES_EXPORTER: 'console',
        OTEL_SERVICE_NAME: 'gw',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      }),
    ).toMatchObject({ exporter: 'console', serviceName: 'gw', sampler: { ratio: 0.1 } });
  });

  it('refuses bad values naming the variable', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ OTEL_TRACES_EXPORTER: 'jaeger' }, /^OTEL_TRACES_EXPORTER: "jaeger"/],
      [{ OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'sometimes' }, /^OTEL_TRACES_SAMPLER:/],
      [
        {
          OTEL_TRACES_EXPORTER: 'otlp',
          OTEL_TRACES_SAMPLER: 'traceidratio',
          OTEL_TRACES_SAMPLER_ARG: '2',
        },
        /^OTEL_TRACES_SAMPLER_ARG: "2"/,
      ],
      [
        { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
        /^OTEL_EXPORTER_OTLP_PROTOCOL: "grpc"/,
      ],
    ];
    for (const [env, message] of bad) {
      expect(() => tracingConfigFromEnv(env)).toThrow(TracingConfigError);
      expect(() => tracingConfigFromEnv(env)).toThrow(message);
    }
  });
});
