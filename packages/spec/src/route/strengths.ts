/**
 * What a Route target may declare it is good at. Languages are the ones the router's detector
 * recognises (ISO 639-1); task kinds are detected from the request (code and maths from the
 * prompt; tools and structured output from the body).
 */
export const STRENGTH_LANGUAGES = [
  'en',
  'fr',
  'de',
  'es',
  'it',
  'pt',
  'zh',
  'ja',
  'ko',
  'ru',
  'ar',
  'hi',
  'el',
  'he',
  'th',
] as const;
export type StrengthLanguage = (typeof STRENGTH_LANGUAGES)[number];

export const STRENGTH_TASKS = ['code', 'math', 'tools', 'structured-output'] as const;
export type StrengthTask = (typeof STRENGTH_TASKS)[number];

export const STRENGTHS = [...STRENGTH_TASKS, ...STRENGTH_LANGUAGES] as const;
export type Strength = StrengthLanguage | StrengthTask;
