import { z } from 'zod';
import { SecretRefSchema } from '../common/secret-key-ref.js';
import { storageUri } from '../common/storage-uri.js';
import { AutoscalingSchema } from './autoscaling.js';
import { checkModelSpec } from './check-model-spec.js';
import {
  DTYPES,
  ENGINES,
  QUANTIZATIONS,
  TgiOptionsSchema,
  VllmOptionsSchema,
  type Dtype,
  type Quantization,
} from './engine-options.js';
import { gpuProfile } from './gpu-profile.js';
import {
  CAPABILITIES,
  EnvVarSchema,
  LoadBalancingSchema,
  LoraAdapterSchema,
  ModelCostSchema,
  ModelResourcesSchema,
  WeightCacheSchema,
} from './model-parts.js';

const servedName = () =>
  z
    .string()
    .min(1)
    .max(256)
    .regex(/^[A-Za-z0-9][-A-Za-z0-9_.:/]*$/, {
      error:
        "must start with a letter or digit and contain only letters, digits, '-', '_', '.', ':' or '/'",
    });

/** The desired state of one self-hosted model. */
export const ModelSpecObject = z.strictObject({
  source: storageUri().describe(
    'Where the weights are: hf://org/name (Hugging Face), s3://bucket/path or pvc://claim/path.',
  ),
  revision: z
    .string()
    .min(1)
    .optional()
    .describe('Branch, tag or commit of an hf:// source; pin a commit for reproducible rollouts.'),
  sourceSecretRef: SecretRefSchema.optional().describe(
    'Secret whose keys become environment variables of the engine: HF_TOKEN for gated hf:// models, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY for s3://.',
  ),
  engine: z.enum(ENGINES).describe('Inference engine: vllm or tgi.'),
  image: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Engine image override (e.g. a mirror); the engine's pinned official image when omitted.",
    ),
  gpus: gpuProfile().describe(
    'GPUs per replica as "<type>:<count>", e.g. "nvidia-h100:2"; the type selects nodes, the count is requested as nvidia.com/gpu.',
  ),
  tensorParallelism: z
    .int()
    .positive()
    .optional()
    .describe(
      'GPUs one model copy is sharded across (vLLM --tensor-parallel-size, TGI --num-shard); must divide the GPU count; defaults to the GPU count.',
    ),
  maxContextLength: z
    .int()
    .positive()
    .optional()
    .describe(
      "Longest sequence (prompt plus output) in tokens (vLLM --max-model-len, TGI --max-total-tokens); the model's own limit when omitted.",
    ),
  quantization: z
    .enum(Object.keys(QUANTIZATIONS) as [Quantization, ...Quantization[]])
    .optional()
    .describe(
      'Quantization method of the weights; awq, gptq, fp8, bitsandbytes, marlin, compressed-tensors on both engines; gguf on vLLM only; bitsandbytes-nf4, bitsandbytes-fp4, eetq, exl2 on TGI only. Pre-quantized checkpoints are detected by the engine without it.',
    ),
  dtype: z
    .enum(Object.keys(DTYPES) as [Dtype, ...Dtype[]])
    .default('auto')
    .describe('Weight and activation dtype: auto, float16, bfloat16, or float32 (vLLM only).'),
  replicas: z
    .int()
    .nonnegative()
    .optional()
    .describe(
      'Desired replicas, written by the autoscaler through the scale subresource (or by a person when autoscaling is disabled); autoscaling.minReplicas when omitted.',
    ),
  autoscaling: AutoscalingSchema.prefault({}).describe('Replica bounds, load target and delays.'),
  maxConcurrency: z
    .int()
    .positive()
    .default(256)
    .describe(
      "Requests one replica runs at once (vLLM --max-num-seqs, TGI --max-concurrent-requests); the gateway's headroom per endpoint.",
    ),
  servedNames: z
    .array(servedName())
    .min(1)
    .optional()
    .describe(
      'Names the engine answers to (vLLM --served-model-name); the Model name when omitted. The first is the canonical name.',
    ),
  aliases: z
    .array(servedName())
    .optional()
    .describe('More names clients may put in "model" to reach this Model through the gateway.'),
  capabilities: z
    .array(z.enum(CAPABILITIES))
    .default(['chat', 'completions'])
    .describe('Request types this Model serves: chat, completions, embeddings, tools, vision.'),
  loraAdapters: z
    .array(LoraAdapterSchema)
    .optional()
    .describe(
      'LoRA adapters served on every replica; clients select one by its name. vLLM loads them at run time (adding or removing one needs no rollout); TGI at start.',
    ),
  weightCache: WeightCacheSchema.optional().describe(
    'Volume that keeps downloaded weights so restarts and new replicas skip the download.',
  ),
  loadBalancing: LoadBalancingSchema.prefault({}).describe(
    "How the gateway picks among this Model's endpoints.",
  ),
  cost: ModelCostSchema.optional().describe('GPU price, for metering and cost-based routing.'),
  resources: ModelResourcesSchema.optional().describe(
    'CPU and memory for the engine container; GPUs come from gpus.',
  ),
  extraArgs: z
    .array(z.string())
    .optional()
    .describe('Extra engine command-line arguments, appended verbatim.'),
  env: z.array(EnvVarSchema).optional().describe('Extra environment variables for the engine.'),
  vllm: VllmOptionsSchema.optional().describe('vLLM-only options; an error with engine tgi.'),
  tgi: TgiOptionsSchema.optional().describe('TGI-only options; an error with engine vllm.'),
});

/** ModelSpecObject with the cross-field rules. */
export const ModelSpecSchema = ModelSpecObject.superRefine(checkModelSpec);
export type ModelSpec = z.output<typeof ModelSpecSchema>;
export type ModelSpecInput = z.input<typeof ModelSpecSchema>;
