import type { PromptSample } from '../complexity/prompt-sample.js';
import { detectLanguage } from './detect-language.js';
import { detectTasks } from './detect-tasks.js';
import type { RequestTraits } from './prefer-strengths.js';

/**
 * What the router detects in a request for strength matching: the language of the last user
 * message, code and maths in it, and tools and structured output from the body.
 */
export function detectTraits(
  sample: PromptSample,
  body: { structuredOutput: boolean },
): RequestTraits {
  const language = detectLanguage(sample.lastUser)?.language;
  const tasks = detectTasks(sample.lastUser, {
    tools: sample.tools,
    structuredOutput: body.structuredOutput,
  });
  return language === undefined ? { tasks } : { language, tasks };
}
