import type { ChatCompletionRequest } from '../openai-types/chat-completion-request.js';
import type { GeminiGenerationConfig, GeminiRequest } from './gemini-types.js';
import { convertToGeminiContents } from './convert-to-gemini-contents.js';
import { prepareGeminiTools } from './prepare-gemini-tools.js';
import { toGeminiSchema } from './to-gemini-schema.js';

/** The generateContent body: contents, systemInstruction, tools and generationConfig. */
export function buildGeminiRequest(req: ChatCompletionRequest): GeminiRequest {
  const stop = req.stop == null ? undefined : typeof req.stop === 'string' ? [req.stop] : req.stop;
  const g: GeminiGenerationConfig = {};
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (maxTokens != null) g.maxOutputTokens = maxTokens;
  if (req.temperature != null) g.temperature = req.temperature;
  if (req.top_p != null) g.topP = req.top_p;
  if (stop && stop.length > 0) g.stopSequences = stop;
  if (req.n != null && req.n > 1) g.candidateCount = req.n;
  if (req.presence_penalty != null) g.presencePenalty = req.presence_penalty;
  if (req.frequency_penalty != null) g.frequencyPenalty = req.frequency_penalty;
  if (req.seed != null) g.seed = req.seed;
  const rf = req.response_format;
  if (rf?.type === 'json_object') g.responseMimeType = 'application/json';
  if (rf?.type === 'json_schema') {
    g.responseMimeType = 'application/json';
    const schema = toGeminiSchema(rf.json_schema.schema);
    if (schema) g.responseSchema = schema;
  }
  return {
    ...convertToGeminiContents(req.messages),
    ...prepareGeminiTools(req),
    ...(Object.keys(g).length > 0 ? { generationConfig: g } : {}),
  };
}
