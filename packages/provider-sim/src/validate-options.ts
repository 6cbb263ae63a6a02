// Options are checked once, at start-up, with errors that name the field.
import { z } from 'zod';
import { describeZodError, faultsSchema } from './core/admin-routes.js';
import type { ProviderSimFaults, ProviderSimOptions } from './types.js';

const optionsSchema = z.object({
  type: z.enum(['openai', 'anthropic', 'gemini']),
  apiKey: z.string().min(1),
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  models: z.array(z.string().min(1)).min(1).optional(),
  latency: z
    .object({
      firstTokenMs: z.number().min(0).optional(),
      perTokenMs: z.number().min(0).optional(),
    })
    .optional(),
  seed: z.number().int().optional(),
  outputTokens: z
    .object({ min: z.number().int().min(1), max: z.number().int().min(1) })
    .refine((r) => r.min <= r.max, 'min must be <= max')
    .optional(),
  contextWindow: z
    .union([z.number().int().min(1), z.record(z.string(), z.number().int().min(1))])
    .optional(),
  sleep: z
    .custom<(ms: number, signal: AbortSignal) => Promise<boolean>>((v) => typeof v === 'function')
    .optional(),
  faults: faultsSchema.optional(),
});

export class ProviderSimOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderSimOptionsError';
  }
}

export function validateOptions(options: ProviderSimOptions): void {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new ProviderSimOptionsError(describeZodError('options', parsed.error));
}

export function validateFaults(faults: ProviderSimFaults): ProviderSimFaults {
  const parsed = faultsSchema.safeParse(faults);
  if (!parsed.success) throw new ProviderSimOptionsError(describeZodError('faults', parsed.error));
  return parsed.data;
}
