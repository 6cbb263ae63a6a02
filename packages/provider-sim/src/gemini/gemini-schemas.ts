// The request fields provider-sim reads from Gemini generateContent / embed requests.
import { z } from 'zod';

const part = z.looseObject({
  text: z.string().optional(),
  functionCall: z
    .looseObject({ name: z.string(), args: z.record(z.string(), z.unknown()).optional() })
    .optional(),
  functionResponse: z.looseObject({ name: z.string() }).optional(),
});

export const contentSchema = z.looseObject({
  role: z.enum(['user', 'model', 'function', 'tool']).optional(),
  parts: z.array(part),
});

const functionDeclaration = z.looseObject({
  name: z.string().min(1).max(128),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  parametersJsonSchema: z.unknown().optional(),
});

export const generateContentRequestSchema = z.looseObject({
  contents: z.array(contentSchema).min(1),
  systemInstruction: contentSchema.optional(),
  tools: z
    .array(z.looseObject({ functionDeclarations: z.array(functionDeclaration).optional() }))
    .optional(),
  toolConfig: z
    .looseObject({
      functionCallingConfig: z
        .looseObject({
          mode: z.enum(['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED']).optional(),
          allowedFunctionNames: z.array(z.string()).optional(),
        })
        .optional(),
    })
    .optional(),
  generationConfig: z
    .looseObject({
      maxOutputTokens: z.number().int().min(1).optional(),
      stopSequences: z.array(z.string()).max(5).optional(),
      candidateCount: z.number().int().min(1).max(8).optional(),
      temperature: z.number().min(0).max(2).optional(),
    })
    .optional(),
});
export type GenerateContentRequest = z.infer<typeof generateContentRequestSchema>;

export const countTokensRequestSchema = z.looseObject({
  contents: z.array(contentSchema).optional(),
  generateContentRequest: generateContentRequestSchema.partial().optional(),
});

const embedRequest = z.looseObject({
  content: contentSchema,
  outputDimensionality: z.number().int().min(1).max(3072).optional(),
});
export const embedContentRequestSchema = embedRequest;
export const batchEmbedRequestSchema = z.looseObject({ requests: z.array(embedRequest).min(1) });

export function formatGeminiIssue(issue: {
  param: string;
  message: string;
  missing: boolean;
}): string {
  return issue.missing
    ? `* GenerateContentRequest.${issue.param}: required field is missing`
    : `Invalid value at '${issue.param}': ${issue.message}`;
}
