import { z } from 'zod';

/**
 * The OpenAI Responses request fields the gateway carries to every target
 * (https://platform.openai.com/docs/api-reference/responses/create). Strict objects: any other
 * field (hosted tools, reasoning, background, conversation, ...) is refused with a 400 naming it.
 */
const inputText = z.strictObject({ type: z.literal('input_text'), text: z.string() });
const inputImage = z.strictObject({
  type: z.literal('input_image'),
  image_url: z.string(),
  detail: z.enum(['auto', 'low', 'high']).optional(),
});
const outputText = z.strictObject({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()).optional(),
  logprobs: z.array(z.unknown()).optional(),
});
const refusal = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });

const messageItem = z.strictObject({
  type: z.literal('message').optional(),
  id: z.string().optional(),
  status: z.string().optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([
    z.string(),
    z.array(z.discriminatedUnion('type', [inputText, inputImage, outputText, refusal])),
  ]),
});
const functionCallItem = z.strictObject({
  type: z.literal('function_call'),
  id: z.string().optional(),
  status: z.string().optional(),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
});
const functionCallOutputItem = z.strictObject({
  type: z.literal('function_call_output'),
  id: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(inputText)]),
});

export const ITEM_TYPES = ['message', 'function_call', 'function_call_output'] as const;
/** The schema of each input item type (a message may omit its type). */
export const ITEM_SCHEMAS = {
  message: messageItem,
  function_call: functionCallItem,
  function_call_output: functionCallOutputItem,
} as const;
export type InputItem =
  | z.infer<typeof messageItem>
  | z.infer<typeof functionCallItem>
  | z.infer<typeof functionCallOutputItem>;

const functionTool = z.strictObject({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullable().optional(),
  parameters: z.record(z.string(), z.unknown()).nullable().optional(),
  strict: z.boolean().nullable().optional(),
});

const textFormat = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    name: z.string(),
    description: z.string().optional(),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullable().optional(),
  }),
]);

export const responsesRequestSchema = z.strictObject({
  model: z.string().min(1),
  /** Items are checked one by one (so a hosted item type is refused by name). */
  input: z.union([z.string(), z.array(z.unknown())]),
  instructions: z.string().nullable().optional(),
  tools: z.array(z.unknown()).optional(),
  tool_choice: z
    .union([
      z.enum(['none', 'auto', 'required']),
      z.strictObject({ type: z.literal('function'), name: z.string().min(1) }),
    ])
    .optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  max_output_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  store: z.boolean().nullable().optional(),
  previous_response_id: z.string().min(1).nullable().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  user: z.string().optional(),
  text: z.strictObject({ format: textFormat.optional() }).optional(),
  truncation: z.literal('disabled').nullable().optional(),
});
export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

export { functionTool as functionToolSchema };
