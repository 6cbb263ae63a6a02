import { describe, expect, it } from 'vitest';
import { EngineArgsError } from './engine-args-error.js';
import { inferEngine, parseEngineArgs } from './parse-engine-args.js';
import { startEngineSim } from './start-engine-sim.js';

function argsError(argv: string[]): EngineArgsError {
  try {
    parseEngineArgs(argv);
  } catch (e) {
    if (e instanceof EngineArgsError) return e;
    throw e;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

describe('vLLM command lines', () => {
  it('reads the flags a Deployment passes, ignoring unknown ones', () => {
    const c = parseEngineArgs([
      'vllm',
      'serve',
      'meta-llama/Llama-3.1-70B-Instruct',
      '--served-model-name',
      'llama-70b',
      'llama',
      '--port=9000',
      '--max-num-seqs',
      '64',
      '--max-model-len',
      '32k',
      '-tp',
      '4',
      '--gpu-memory-utilization',
      '0.85',
      '--enable-lora',
      '--lora-modules',
      'a=/a',
      '{"name":"b","path":"/b","base_model_name":"llama-70b"}',
      '--dtype',
      'bfloat16',
      '--quantization',
      'fp8',
      '--enforce-eager',
      '--kv-cache-dtype',
      'fp8',
      '--max_num_batched_tokens',
      '8192',
    ]);
    expect(c).toMatchObject({
      engine: 'vllm',
      model: 'meta-llama/Llama-3.1-70B-Instruct',
      servedModelNames: ['llama-70b', 'llama'],
      port: 9000,
      maxNumSeqs: 64,
      maxModelLen: 32000,
      tensorParallel: 4,
      gpuMemoryUtilization: 0.85,
      enableLora: true,
      dtype: 'bfloat16',
      quantization: 'fp8',
    });
    expect(c.loraModules).toEqual([
      { name: 'a', path: '/a' },
      { name: 'b', path: '/b', baseModelName: 'llama-70b' },
    ]);
  });

  it('uses vLLM defaults and the --model flag form', () => {
    const c = parseEngineArgs(['--model', 'Qwen/Qwen2.5-0.5B']);
    expect(c).toMatchObject({
      model: 'Qwen/Qwen2.5-0.5B',
      servedModelNames: ['Qwen/Qwen2.5-0.5B'],
      maxNumSeqs: 256,
      maxModelLen: 8192,
      tensorParallel: 1,
    });
    expect(c.port).toBeUndefined();
  });

  it('rejects nonsense values the way argparse and vLLM do', () => {
    expect(argsError(['--max-num-seqs', 'abc']).message).toBe(
      "vllm serve: error: argument --max-num-seqs: invalid int value: 'abc'",
    );
    expect(argsError(['--dtype', 'fp7']).message).toMatch(
      /^vllm serve: error: argument --dtype: invalid choice: 'fp7' \(choose from 'auto'/,
    );
    expect(argsError(['--gpu-memory-utilization', '1.5']).message).toMatch(
      /GPU memory utilization must be within \(0, 1\]/,
    );
    expect(argsError(['--tensor-parallel-size', '0']).flag).toBe('--tensor-parallel-size');
    expect(argsError(['--max-num-seqs']).message).toMatch(/expected one argument/);
    expect(argsError(['--lora-modules', 'x=/y']).message).toMatch(/--enable-lora/);
    expect(argsError(['--time-scale', '-3']).message).toMatch(/--time-scale: invalid value '-3'/);
    expect(argsError(['--output-tokens', 'lots']).flag).toBe('--output-tokens');
    expect(argsError(['--max-num-seqs', 'abc']).exitCode).toBe(2);
  });
});

describe('TGI command lines', () => {
  it('reads launcher flags and infers the engine from --model-id', () => {
    const argv = [
      '--model-id',
      'mistralai/Mistral-7B-v0.1',
      '--max-concurrent-requests',
      '64',
      '--max-input-tokens',
      '2048',
      '--max-total-tokens',
      '4096',
      '--num-shard',
      '2',
      '--quantize',
      'awq',
      '--max-batch-size',
      '16',
      '--sharded',
      'true',
      '--unknown-flag',
      'v',
    ];
    expect(inferEngine(argv)).toBe('tgi');
    expect(parseEngineArgs(argv)).toMatchObject({
      engine: 'tgi',
      model: 'mistralai/Mistral-7B-v0.1',
      maxConcurrentRequests: 64,
      maxNumSeqs: 16,
      maxInputTokens: 2048,
      maxModelLen: 4096,
      tensorParallel: 2,
      quantization: 'awq',
    });
  });

  it('rejects nonsense values the way clap and the launcher do', () => {
    expect(argsError(['--model-id', 'm', '--max-concurrent-requests', 'many']).message).toMatch(
      /^error: invalid value 'many' for '--max-concurrent-requests <MAX_CONCURRENT_REQUESTS>': invalid digit found in string/,
    );
    expect(argsError(['--model-id', 'm', '--quantize', 'int3']).message).toMatch(
      /\[possible values: awq, /,
    );
    expect(
      argsError(['--model-id', 'm', '--max-input-tokens', '5000', '--max-total-tokens', '4096'])
        .message,
    ).toBe(
      'Error: ArgumentValidation("`max_input_tokens`(5000) must be < `max_total_tokens`(4096)")',
    );
  });
});

describe('the args the engine adapters render for a Deployment', () => {
  it('vLLM: positional model, 0.0.0.0, data parallelism, tool and LoRA flags', async () => {
    const argv = [
      'meta-llama/Llama-3.1-8B-Instruct',
      '--host',
      '0.0.0.0',
      '--port',
      '8000',
      '--served-model-name',
      'llama',
      '--tensor-parallel-size',
      '1',
      '--data-parallel-size',
      '2',
      '--gpu-memory-utilization',
      '0.9',
      '--max-num-seqs',
      '64',
      '--no-enable-prefix-caching',
      '--enable-auto-tool-choice',
      '--tool-call-parser',
      'llama3_json',
      '--enable-lora',
      '--max-loras',
      '1',
      '--lora-modules',
      'sql=hf://org/sql-lora',
    ];
    const c = parseEngineArgs(argv);
    expect(c).toMatchObject({
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      servedModelNames: ['llama'],
      maxNumSeqs: 128,
      dataParallel: 2,
    });
    expect(c.loraModules).toEqual([{ name: 'sql', path: 'hf://org/sql-lora' }]);
    const e = await startEngineSim({ argv, port: 0, loadSeconds: 0 });
    try {
      expect(e.host).toBe('127.0.0.1'); // a container's 0.0.0.0 stays on loopback in the simulator
    } finally {
      await e.close();
    }
  });

  it('TGI: hostname, shards, token limits, LoRA adapters and usage-stats', () => {
    const c = parseEngineArgs([
      '--model-id',
      'meta-llama/Llama-3.1-8B-Instruct',
      '--hostname',
      '0.0.0.0',
      '--port',
      '80',
      '--num-shard',
      '1',
      '--max-total-tokens',
      '8192',
      '--max-input-tokens',
      '8191',
      '--max-concurrent-requests',
      '64',
      '--lora-adapters',
      'a=/x,b=/y',
      '--usage-stats',
      'off',
    ]);
    expect(c).toMatchObject({
      engine: 'tgi',
      maxModelLen: 8192,
      maxInputTokens: 8191,
      maxNumSeqs: 64,
      enableLora: true,
    });
    expect(c.loraModules.map((l) => l.name)).toEqual(['a', 'b']);
  });
});
