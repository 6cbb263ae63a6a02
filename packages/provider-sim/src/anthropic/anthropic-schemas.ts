// The request fields provider-sim reads from Anthropic Messages requests.
import { z } from 'zod';

const block = z.looseObject({ type: z.string() });

export const messagesRequestSchema = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().min(1),
  messages: z
    .array(
      z.looseObject({
        role: z.enum(['user', 'assistant']),
        content: z.union([z.string(), z.array(block)]),
      }),
    )
    .min(1),
  system: z.union([z.string(), z.array(block)]).optional(),
  tools: z
    .array(
      z.looseObject({
        name: z.string().min(1).max(128),
        description: z.string().optional(),
        input_schema: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
  tool_choice: z
    .looseObject({ type: z.enum(['auto', 'any', 'tool', 'none']), name: z.string().optional() })
    .optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  thinking: z
    .discriminatedUnion('type', [
      z.looseObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) }),
      z.looseObject({ type: z.literal('disabled') }),
    ])
    .optional(),
});
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

export const countTokensRequestSchema = messagesRequestSchema.extend({
  max_tokens: z.number().int().min(1).optional(),
});
export type CountTokensRequest = z.infer<typeof countTokensRequestSchema>;

export function formatAnthropicIssue(issue: {
  dotted: string;
  message: string;
  missing: boolean;
}): string {
  return `${issue.dotted}: ${issue.missing ? 'Field required' : issue.message}`;
}
