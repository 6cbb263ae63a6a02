/** What to do with a model's answer: keep it, retry later, or record it as a final error. */
export type Outcome = 'ok' | 'final-error' | 'retry';

export function classifyResponse(status: number): Outcome {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 408 || status === 409 || status === 429 || status >= 500) return 'retry';
  return 'final-error';
}
