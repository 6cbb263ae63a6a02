import { describe, expect, it } from 'vitest';
import { engineArgv, engineForImage, enginePort, stubPorts } from './container-runtime.js';

describe('container runtime mapping', () => {
  it('recognises the vLLM and TGI images, with or without registry and digest', () => {
    expect(engineForImage('vllm/vllm-openai:v0.11.0')).toBe('vllm');
    expect(engineForImage('docker.io/vllm/vllm-openai@sha256:abc')).toBe('vllm');
    expect(engineForImage('ghcr.io/huggingface/text-generation-inference:2.4.0')).toBe('tgi');
    expect(engineForImage('nginx:1.27')).toBeUndefined();
    expect(engineForImage(undefined)).toBeUndefined();
  });

  it('finds the engine port in --port, TGI PORT env, the container port, else the default', () => {
    const c = { name: 'c', ports: [{ containerPort: 9000 }] };
    expect(enginePort(['--port', '8001'], c, 'vllm')).toBe(8001);
    expect(enginePort(['--port=8002'], c, 'vllm')).toBe(8002);
    expect(enginePort([], c, 'vllm')).toBe(9000);
    expect(enginePort([], { name: 'c' }, 'vllm')).toBe(8000);
    expect(enginePort([], { name: 'c' }, 'tgi')).toBe(80);
    expect(enginePort([], { name: 'c', env: [{ name: 'PORT', value: '3000' }] }, 'tgi')).toBe(3000);
  });

  it('builds the engine command line from command, args and TGI environment variables', () => {
    expect(
      engineArgv({ name: 'c', command: ['vllm', 'serve'], args: ['m', '--port', '1'] }, 'vllm'),
    ).toEqual(['vllm', 'serve', 'm', '--port', '1']);
    const tgi = {
      name: 'c',
      args: ['--port', '80'],
      env: [
        { name: 'MODEL_ID', value: 'org/m' },
        { name: 'NUM_SHARD', value: '2' },
      ],
    };
    expect(engineArgv(tgi, 'tgi')).toEqual([
      '--port',
      '80',
      '--model-id',
      'org/m',
      '--num-shard',
      '2',
    ]);
    expect(engineArgv({ ...tgi, args: ['--model-id', 'x/y'] }, 'tgi')).toEqual([
      '--model-id',
      'x/y',
      '--num-shard',
      '2',
    ]);
  });

  it('listens on declared ports and on the ports probes use', () => {
    expect(
      stubPorts({
        name: 'c',
        ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
        readinessProbe: { httpGet: { port: 8080 } },
        livenessProbe: { tcpSocket: { port: '9090' } },
        startupProbe: { httpGet: { port: 'http' } },
      }).sort(),
    ).toEqual([80, 8080, 9090]);
  });
});
