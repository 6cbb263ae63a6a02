// Validates a request body with zod and turns the first issue into the provider's 400.
import type { z } from 'zod';
import { invalidRequest } from './sim-error.js';

export interface BodyIssue {
  /** `messages[0].role` */
  param: string;
  /** `messages.0.role` */
  dotted: string;
  message: string;
  /** The field is absent (zod saw `undefined`). */
  missing: boolean;
}

export type IssueFormatter = (issue: BodyIssue) => string;

export function parseBody<S extends z.ZodType>(
  schema: S,
  body: unknown,
  format: IssueFormatter,
): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path ?? [];
  const param = path.reduce<string>(
    (acc, part) =>
      typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
    '',
  );
  const missing = issue?.code === 'invalid_type' && /received undefined/.test(issue.message);
  const detail: BodyIssue = {
    param: param || 'body',
    dotted: path.map(String).join('.') || 'body',
    message: issue?.message ?? 'invalid',
    missing,
  };
  throw invalidRequest(format(detail), detail.param);
}

/** Text of a content value that is a string or a list of parts with `text`. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      typeof part === 'object' &&
      part !== null &&
      typeof (part as { text?: unknown }).text === 'string'
        ? (part as { text: string }).text
        : '',
    )
    .filter((t) => t.length > 0)
    .join('\n');
}
