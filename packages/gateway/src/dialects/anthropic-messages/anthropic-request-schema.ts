import { z } from 'zod';

/**
 * The Anthropic Messages request fields the gateway carries to every target
 * (https://docs.anthropic.com/en/api/messages). Strict objects: any other field is refused
 * with a 400 naming it. `cache_control` is accepted as the hint it is (it takes effect only on
 * Anthropic Providers, which get the request untranslated; see docs/api.md).
 */
const cacheControl = z
  .looseObject({ type: z.literal('ephemeral') })
  .nullable()
  .optional();

const textBlock = z.strictObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControl,
  citations: z.array(z.unknown()).max(0, 'citations are not supported').nullable().optional(),
});
const imageBlock = z.strictObject({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('base64'),
      media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
      data: z.string(),
    }),
    z.strictObject({ type: z.literal('url'), url: z.string() }),
  ]),
  cache_control: cacheControl,
});
const toolUseBlock = z.strictObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
});
const toolResultBlock = z.strictObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(textBlock)]).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});

export const BLOCK_TYPES = ['text', 'image', 'tool_use', 'tool_result'] as const;
const block = z.discriminatedUnion('type', [textBlock, imageBlock, toolUseBlock, toolResultBlock]);
export type AnthropicInputBlock = z.infer<typeof block>;

const message = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(block)]),
});

const tool = z.strictObject({
  type: z.literal('custom').optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.looseObject({ type: z.literal('object') }),
  cache_control: cacheControl,
});

const toolChoice = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.enum(['auto', 'any']),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({
    type: z.literal('tool'),
    name: z.string().min(1),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
]);

const common = {
  model: z.string().min(1),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  messages: z.array(message).min(1),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
};

export const messagesRequestSchema = z.strictObject({
  ...common,
  cache_control: cacheControl,
  max_tokens: z.number().int().positive(),
  stop_sequences: z.array(z.string()).max(4).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  metadata: z.strictObject({ user_id: z.string().nullable().optional() }).optional(),
  stream: z.boolean().optional(),
});
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

export const countTokensRequestSchema = z.strictObject(common);
export type CountTokensRequest = z.infer<typeof countTokensRequestSchema>;

/** A part of an Anthropic request that only an Anthropic Provider can honour. */
export interface AnthropicExtra {
  /** Dotted path, e.g. `thinking`, `tools.0.type`, `messages.1.content.0.type`. */
  param: string;
  why: string;
}

const CARRIED_FIELDS: ReadonlySet<string> = new Set(Object.keys(messagesRequestSchema.shape));

/**
 * Splits an Anthropic request into what translation carries to every target and what only an
 * Anthropic Provider honours: server tools (web search, code execution, ...), content blocks
 * other than text, image, tool_use and tool_result (document, thinking, search_result, ...) and
 * top-level fields the schema does not know (`thinking`, `top_k`, ...). `carried` is a copy
 * without them; the body itself is left as it came.
 */
export function splitAnthropicExtras(body: unknown): {
  carried: unknown;
  extras: AnthropicExtra[];
} {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { carried: body, extras: [] };
  const extras: AnthropicExtra[] = [];
  const carried: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (CARRIED_FIELDS.has(k)) carried[k] = v;
    else extras.push({ param: k, why: 'is an Anthropic-only field' });
  }
  if (Array.isArray(carried.tools))
    carried.tools = carried.tools.filter((t: unknown, i) => {
      const type = (t as { type?: unknown } | null)?.type;
      if (type === undefined || type === 'custom') return true;
      extras.push({
        param: `tools.${i}.type`,
        why: `server tools (${JSON.stringify(type)}) are not carried to targets; only custom tools are`,
      });
      return false;
    });
  if (Array.isArray(carried.messages))
    carried.messages = carried.messages.map((m: unknown, i) => {
      const content = (m as { content?: unknown } | null)?.content;
      if (!Array.isArray(content)) return m;
      const kept = content.filter((c: unknown, j) => {
        const type = (c as { type?: unknown } | null)?.type;
        if (typeof type !== 'string' || (BLOCK_TYPES as readonly string[]).includes(type))
          return true;
        extras.push({
          param: `messages.${i}.content.${j}.type`,
          why: `${type} blocks are not carried to targets (accepted: ${BLOCK_TYPES.join(', ')})`,
        });
        return false;
      });
      return { ...(m as object), content: kept.length ? kept : '' };
    });
  return { carried, extras };
}
