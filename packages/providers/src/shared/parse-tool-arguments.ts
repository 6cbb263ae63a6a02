import { ProviderError } from '../core/provider-error.js';

/** Parses a tool call's JSON `arguments` string into an object; names the field when invalid. */
export function parseToolArguments(args: string, param: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    throw ProviderError.badRequest(`${param} is not valid JSON`, param);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw ProviderError.badRequest(`${param} must be a JSON object`, param);
  }
  return parsed as Record<string, unknown>;
}
