// Gemini generateContent request -> the provider-neutral SimPrompt.
import type { SimPrompt, SimToolChoice } from '../core/plan-response.js';
import { ProviderSimError } from '../core/sim-error.js';
import type { GenerateContentRequest } from './gemini-schemas.js';

type Content = GenerateContentRequest['contents'][number];

export function requireGeminiModel(
  model: string,
  models: readonly string[],
  method: string,
  version: string,
): void {
  if (!models.includes(model)) {
    throw new ProviderSimError({
      status: 404,
      kind: 'not_found',
      message: `models/${model} is not found for API version ${version}, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`,
    });
  }
}

export function checkGeminiContext(inputTokens: number, window: number): void {
  if (inputTokens > window) {
    throw new ProviderSimError({
      status: 400,
      kind: 'invalid_request',
      message: `The input token count (${inputTokens}) exceeds the maximum number of tokens allowed (${window}).`,
    });
  }
}

export function contentText(content: Content | undefined): string {
  if (!content) return '';
  return content.parts
    .map(
      (p) =>
        p.text ??
        (p.functionCall
          ? JSON.stringify(p.functionCall)
          : p.functionResponse
            ? JSON.stringify(p.functionResponse)
            : ''),
    )
    .filter(Boolean)
    .join('\n');
}

function toolChoiceOf(body: GenerateContentRequest): SimToolChoice {
  const config = body.toolConfig?.functionCallingConfig;
  if (config?.mode === 'NONE') return { mode: 'none' };
  if (config?.mode === 'ANY')
    return {
      mode: 'required',
      ...(config.allowedFunctionNames ? { names: config.allowedFunctionNames } : {}),
    };
  return { mode: 'auto' };
}

export function geminiPrompt(model: string, body: GenerateContentRequest): SimPrompt {
  const declarations = (body.tools ?? []).flatMap((t) => t.functionDeclarations ?? []);
  const texts = [contentText(body.systemInstruction), ...body.contents.map(contentText)];
  if (declarations.length) texts.push(JSON.stringify(declarations));
  const last = body.contents[body.contents.length - 1];
  const lastUser = [...body.contents]
    .reverse()
    .find((c) => (c.role ?? 'user') === 'user' && c.parts.some((p) => p.text !== undefined));
  const maxTokens = body.generationConfig?.maxOutputTokens;
  return {
    model,
    inputText: texts.filter(Boolean).join('\n'),
    framingTokens: 0,
    lastUserText: lastUser ? contentText(lastUser) : '',
    lastIsToolResult: last?.parts.some((p) => p.functionResponse !== undefined) ?? false,
    tools: declarations.map((d) => ({
      name: d.name,
      schema: d.parametersJsonSchema ?? d.parameters ?? {},
    })),
    toolChoice: toolChoiceOf(body),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    stop: body.generationConfig?.stopSequences ?? [],
  };
}
