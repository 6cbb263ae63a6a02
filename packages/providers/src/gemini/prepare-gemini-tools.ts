import type { ChatCompletionRequest } from '../openai-types/chat-completion-request.js';
import type { GeminiRequest } from './gemini-types.js';
import { toGeminiSchema } from './to-gemini-schema.js';

/** OpenAI tools / tool_choice to `functionDeclarations` / `toolConfig`. https://ai.google.dev/gemini-api/docs/function-calling */
export function prepareGeminiTools(
  req: ChatCompletionRequest,
): Pick<GeminiRequest, 'tools' | 'toolConfig'> {
  if (!req.tools || req.tools.length === 0) return {};
  const functionDeclarations = req.tools.map((t) => {
    const parameters = toGeminiSchema(t.function.parameters);
    return {
      name: t.function.name,
      ...(t.function.description ? { description: t.function.description } : {}),
      ...(parameters ? { parameters } : {}),
    };
  });
  const c = req.tool_choice;
  const toolConfig: GeminiRequest['toolConfig'] =
    c === undefined
      ? undefined
      : c === 'auto'
        ? { functionCallingConfig: { mode: 'AUTO' } }
        : c === 'none'
          ? { functionCallingConfig: { mode: 'NONE' } }
          : c === 'required'
            ? { functionCallingConfig: { mode: 'ANY' } }
            : { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [c.function.name] } };
  return { tools: [{ functionDeclarations }], ...(toolConfig ? { toolConfig } : {}) };
}
