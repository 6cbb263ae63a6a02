import { z } from 'zod';
import { dnsLabel } from '../common/dns-label.js';
import { quantity } from '../common/quantity.js';
import { SecretKeySelectorSchema } from '../common/secret-key-ref.js';
import { storageUri } from '../common/storage-uri.js';

/** A LoRA adapter served on top of the base model. */
export const LoraAdapterSchema = z.strictObject({
  name: dnsLabel().describe('Model name clients use to select this adapter.'),
  source: storageUri().describe('Where the adapter weights are: hf://, s3:// or pvc://.'),
  revision: z.string().min(1).optional().describe('Branch, tag or commit of an hf:// adapter.'),
});
export type LoraAdapter = z.output<typeof LoraAdapterSchema>;

/** A persistent volume that keeps downloaded weights across restarts. */
export const WeightCacheSchema = z.strictObject({
  claimName: dnsLabel().describe(
    'Existing PersistentVolumeClaim that holds the cache (ReadWriteMany to share across replicas).',
  ),
  mountPath: z
    .string()
    .regex(/^\/[^\s]*$/, { error: 'must be an absolute path' })
    .default('/models-cache')
    .describe('Where the cache is mounted in the engine container (HF_HOME points here).'),
  subPath: z.string().min(1).optional().describe('Sub-directory of the volume to use.'),
});
export type WeightCache = z.output<typeof WeightCacheSchema>;

/** Per-Model endpoint selection used by the gateway. */
export const LOAD_BALANCING_STRATEGIES = ['least-outstanding', 'prefix-affinity'] as const;
export type LoadBalancingStrategy = (typeof LOAD_BALANCING_STRATEGIES)[number];

export const LoadBalancingSchema = z.strictObject({
  strategy: z
    .enum(LOAD_BALANCING_STRATEGIES)
    .default('least-outstanding')
    .describe(
      'least-outstanding picks the endpoint with the fewest in-flight requests; prefix-affinity hashes the leading prompt text so shared prefixes hit the same KV cache (bounded load).',
    ),
  prefixLength: z
    .int()
    .positive()
    .default(256)
    .describe('prefix-affinity: characters of the leading prompt text that are hashed.'),
  loadFactor: z
    .number()
    .min(1)
    .default(1.25)
    .describe(
      'prefix-affinity: an endpoint takes a request only while its load is below loadFactor x the average.',
    ),
});
export type LoadBalancing = z.output<typeof LoadBalancingSchema>;

/** What a replica costs, for metering and cost-based routing. */
export const ModelCostSchema = z.strictObject({
  gpuHourUSD: z
    .number()
    .nonnegative()
    .describe('Price of one GPU for one hour in USD; a replica costs gpuHourUSD x GPU count.'),
});
export type ModelCost = z.output<typeof ModelCostSchema>;

/** CPU and memory for the engine container (requests = limits for memory). */
export const ModelResourcesSchema = z.strictObject({
  cpu: quantity().optional().describe('CPU request, e.g. 8.'),
  memory: quantity().optional().describe('Memory request and limit, e.g. 64Gi.'),
});
export type ModelResources = z.output<typeof ModelResourcesSchema>;

/** An environment variable for the engine container, a value or a Secret key. */
export const EnvVarSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/, { error: 'must be a valid environment variable name' })
    .describe('Variable name.'),
  value: z.string().optional().describe('Literal value.'),
  valueFrom: z
    .strictObject({
      secretKeyRef: SecretKeySelectorSchema.describe('Secret key holding the value.'),
    })
    .optional()
    .describe('Take the value from a Secret instead of writing it here.'),
});
export type EnvVar = z.output<typeof EnvVarSchema>;

/** Request types a target can serve; the router drops targets that lack one a request needs. */
export const CAPABILITIES = ['chat', 'completions', 'embeddings', 'tools', 'vision'] as const;
export type Capability = (typeof CAPABILITIES)[number];
