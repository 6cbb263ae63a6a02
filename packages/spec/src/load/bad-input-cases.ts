/** Malformed manifests for the bad-input table test, each with the exact errors expected. */

export const MODEL = `apiVersion: bascule.dev/v1alpha1
kind: Model
metadata:
  name: llama
spec:
  source: hf://meta-llama/Llama-3.1-8B-Instruct
  engine: vllm
  gpus: nvidia-l4:1
`;

export const PROVIDER = `apiVersion: bascule.dev/v1alpha1
kind: Provider
metadata:
  name: openai
spec:
  type: openai
  apiKeySecretRef: {name: openai-api-key, key: api-key}
  models:
    - name: gpt-5-mini
      inputUSDPer1M: 0.25
      outputUSDPer1M: 2
      contextWindow: 400000
`;

export const ROUTE = `apiVersion: bascule.dev/v1alpha1
kind: Route
metadata:
  name: chat
spec:
  targets:
    - model: llama
    - provider: openai
      model: gpt-5-mini
`;

/** `base` with the line `from` replaced by `to` (which may span several lines). */
export function edit(base: string, from: string, to: string): string {
  if (!base.includes(from)) throw new Error(`case setup: "${from}" not in base`);
  return base.replace(from, to);
}

export interface BadInputCase {
  name: string;
  text: string;
  /** Formatted issues, exactly, in order (the file is always `bad.yaml`). */
  errors: string[];
}
