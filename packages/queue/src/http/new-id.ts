import { randomBytes } from 'node:crypto';

/** OpenAI-style ids: `file-…`, `batch_…`, `job_…`. */
export function newId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
}
