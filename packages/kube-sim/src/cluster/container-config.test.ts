import { describe, expect, it } from 'vitest';
import { containerConfigError, imagePullError, volumeMountError } from './container-config.js';
import type { Pod } from './kube-types.js';
import { preStopSleepSeconds } from './pre-stop.js';

const lookup = {
  secret: (n: string) => (n === 'keys' ? { KEY: 'dg==' } : undefined),
  configMap: (n: string) => (n === 'cfg' ? { a: '1' } : undefined),
};

describe('the kubelet checks before starting containers', () => {
  it('names the missing Secret, ConfigMap or key as the kubelet does', () => {
    const c = (env: object) => ({ name: 'c', ...env });
    expect(
      containerConfigError(c({ envFrom: [{ secretRef: { name: 'nope' } }] }), 'ns', lookup),
    ).toBe('secret "nope" not found');
    expect(
      containerConfigError(
        c({ envFrom: [{ secretRef: { name: 'nope', optional: true } }] }),
        'ns',
        lookup,
      ),
    ).toBeUndefined();
    expect(
      containerConfigError(
        c({ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'keys', key: 'OTHER' } } }] }),
        'ns',
        lookup,
      ),
    ).toBe("couldn't find key OTHER in Secret ns/keys");
    expect(
      containerConfigError(
        c({ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'gone', key: 'a' } } }] }),
        'ns',
        lookup,
      ),
    ).toBe('configmap "gone" not found');
    expect(
      containerConfigError(
        c({ envFrom: [{ secretRef: { name: 'keys' } }, { configMapRef: { name: 'cfg' } }] }),
        'ns',
        lookup,
      ),
    ).toBeUndefined();
  });

  it('fails to mount a missing Secret volume', () => {
    const pod = {
      metadata: { name: 'p' },
      spec: { containers: [], volumes: [{ name: 'tls', secret: { secretName: 'certs' } }] },
    } as unknown as Pod;
    expect(volumeMountError(pod, lookup)).toBe(
      'MountVolume.SetUp failed for volume "tls" : secret "certs" not found',
    );
  });

  it('declares images with a missing tag or an .invalid registry unpullable, and no others', () => {
    expect(imagePullError('nginx:missing')).toMatch(/not found$/);
    expect(imagePullError('vllm/vllm-openai:missing-0.11')).toMatch(/not found$/);
    expect(imagePullError('registry.invalid/team/vllm:v1')).toMatch(/no such host$/);
    expect(imagePullError('vllm/vllm-openai:v0.11.0')).toBeUndefined();
    expect(imagePullError('localhost:5000/missing')).toBeUndefined();
  });

  it('reads the sleep of a preStop hook', () => {
    expect(preStopSleepSeconds({ sleep: { seconds: 15 } })).toBe(15);
    expect(preStopSleepSeconds({ exec: { command: ['sleep', '10'] } })).toBe(10);
    expect(preStopSleepSeconds({ exec: { command: ['/bin/sh', '-c', 'sleep 5'] } })).toBe(5);
    expect(preStopSleepSeconds({ exec: { command: ['/bin/sh', '-c', 'nginx -s quit'] } })).toBe(0);
  });
});
