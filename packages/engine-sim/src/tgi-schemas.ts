import { z } from 'zod';
import { chatMessagesSchema } from './vllm-schemas.js';

export const tgiParametersSchema = z
  .object({
    max_new_tokens: z.number().int().nullish(),
    stop: z.array(z.string()).nullish(),
    seed: z.number().int().min(0).nullish(),
    details: z.boolean().nullish(),
    decoder_input_details: z.boolean().nullish(),
    return_full_text: z.boolean().nullish(),
  })
  .passthrough();

export const tgiGenerateSchema = z
  .object({
    inputs: z.string(),
    parameters: tgiParametersSchema.nullish(),
    stream: z.boolean().nullish(),
  })
  .passthrough();

export const tgiChatSchema = z
  .object({
    model: z.string().nullish(),
    messages: chatMessagesSchema,
    max_tokens: z.number().int().nullish(),
    max_completion_tokens: z.number().int().nullish(),
    stop: z.union([z.string(), z.array(z.string())]).nullish(),
    seed: z.number().int().min(0).nullish(),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish() }).passthrough().nullish(),
    logprobs: z.boolean().nullish(),
    top_logprobs: z.number().int().nullish(),
    n: z.number().int().nullish(),
  })
  .passthrough();

export type TgiGenerateRequest = z.infer<typeof tgiGenerateSchema>;

/** serde's wording for the first problem: "missing field `inputs`" / "invalid type: ...". */
export function serdeMessage(error: z.ZodError): string {
  const i = error.issues[0];
  if (!i) return 'Failed to deserialize the JSON body into the target type';
  const field = i.path.map(String).join('.') || 'body';
  const what =
    i.code === 'invalid_type' && /received undefined/.test(i.message)
      ? `missing field \`${field}\``
      : `${field}: ${i.message}`;
  return `Failed to deserialize the JSON body into the target type: ${what}`;
}
