import { z } from 'zod';

/** OpenAI-style chat messages, as both engines accept them (content: text or parts). */
export const chatMessagesSchema = z
  .array(
    z
      .object({ role: z.string(), content: z.union([z.string(), z.array(z.unknown())]).nullish() })
      .passthrough(),
  )
  .min(1);

const stop = z.union([z.string(), z.array(z.string())]).nullish();
const streamOptions = z
  .object({ include_usage: z.boolean().nullish(), continuous_usage_stats: z.boolean().nullish() })
  .passthrough()
  .nullish();
const common = {
  model: z.string().nullish(),
  max_tokens: z.number().int().nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  stop,
  seed: z.number().int().nullish(),
  stream: z.boolean().nullish(),
  stream_options: streamOptions,
};

export const chatRequestSchema = z
  .object({
    ...common,
    messages: chatMessagesSchema,
    max_completion_tokens: z.number().int().nullish(),
    tools: z
      .array(
        z
          .object({
            type: z.literal('function'),
            function: z
              .object({
                name: z.string().min(1),
                description: z.string().nullish(),
                parameters: z.unknown(),
              })
              .passthrough(),
          })
          .passthrough(),
      )
      .nullish(),
    tool_choice: z
      .union([
        z.enum(['none', 'auto', 'required']),
        z
          .object({
            type: z.literal('function'),
            function: z.object({ name: z.string() }).passthrough(),
          })
          .passthrough(),
      ])
      .nullish(),
    logprobs: z.boolean().nullish(),
    top_logprobs: z.number().int().nullish(),
  })
  .passthrough();

const tokenIds = z.array(z.number().int());
export const completionRequestSchema = z
  .object({
    ...common,
    prompt: z.union([
      z.string(),
      z.array(z.string()).min(1),
      tokenIds.min(1),
      z.array(tokenIds.min(1)).min(1),
    ]),
    logprobs: z.number().int().nullish(),
    echo: z.boolean().nullish(),
  })
  .passthrough();

export const embeddingRequestSchema = z
  .object({
    model: z.string().nullish(),
    input: z.union([
      z.string(),
      z.array(z.string()).min(1),
      tokenIds.min(1),
      z.array(tokenIds.min(1)).min(1),
    ]),
    encoding_format: z.enum(['float', 'base64']).nullish(),
    dimensions: z.number().int().min(1).max(65536).nullish(),
  })
  .passthrough();

export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type CompletionRequest = z.infer<typeof completionRequestSchema>;
export type EmbeddingRequest = z.infer<typeof embeddingRequestSchema>;

/** Names the offending fields the way FastAPI/pydantic locates them ('body.messages'). */
export function describeIssues(error: z.ZodError): { message: string; param: string | null } {
  const first = error.issues[0];
  const message = error.issues
    .map((i) => `${['body', ...i.path.map(String)].join('.')}: ${i.message}`)
    .join('; ');
  return {
    message: `${error.issues.length} validation error${error.issues.length > 1 ? 's' : ''}: ${message}`,
    param: first ? first.path.map(String).join('.') || null : null,
  };
}
