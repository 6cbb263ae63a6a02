/**
 * Parameter count, in billions, read from a model name: 'Llama-3.1-8B-Instruct' → 8,
 * 'Qwen2.5-0.5B' → 0.5, 'SmolLM-135M' → 0.135, 'Mixtral-8x7B' → 56. Undefined when the name
 * carries no size.
 */
export function parseParamsB(model: string): number | undefined {
  const name = model.split('/').pop() ?? model;
  const moe = /(?:^|[^a-z0-9.])(\d+)x(\d+(?:\.\d+)?)b(?![a-z0-9])/i.exec(name);
  if (moe) return Number(moe[1]) * Number(moe[2]);
  const b = /(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)b(?![a-z0-9])/i.exec(name);
  if (b) return Number(b[1]);
  const m = /(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)m(?![a-z0-9])/i.exec(name);
  if (m) return Number(m[1]) / 1000;
  return undefined;
}
