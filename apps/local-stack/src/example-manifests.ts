// The examples `pnpm start` applies, as patched in-memory copies (the files are never edited):
// Provider Secrets hold the provider-sim key (or the real key from the environment) and, for
// simulated providers, the Provider's baseURL points at the provider-sim.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type KubeDoc = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
} & Record<string, unknown>;

/** The examples behind the chat, private-chat and batch Routes: they fit a 4-GPU cluster. */
export const DEFAULT_EXAMPLES = [
  'hf-token.yaml',
  'model-llama-3-1-8b-instruct.yaml',
  'model-mistral-7b.yaml',
  'model-qwen3-32b.yaml',
  'pvc-model-cache.yaml',
  'provider-openai.yaml',
  'provider-anthropic.yaml',
  'provider-gemini.yaml',
  'route-chat.yaml',
  'route-private-chat.yaml',
  'route-batch.yaml',
];

/** kube-sim nodes for the default set (2 x L4, 1 x A10G, 1 node of 2 x H100) and for all. */
export const DEFAULT_NODES = 'l4:2x1,a10g:1x1,h100:1x2';
export const ALL_NODES = 'l4:3x1,a10g:1x1,h100:2x8,h200:1x8';

export type ProviderType = 'openai' | 'anthropic' | 'gemini';

/** Where each provider's calls go: a provider-sim (url + its key) or the real API (key only). */
export interface ProviderTarget {
  key: string;
  /** provider-sim base URL (no /v1); absent for the real API. */
  simUrl?: string;
}

export function readCrds(dir: string): KubeDoc[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((f) => parseFile(join(dir, f)));
}

export function readExamples(dir: string, all: boolean): { files: string[]; docs: KubeDoc[] } {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && (all || DEFAULT_EXAMPLES.includes(f)))
    .sort();
  return { files, docs: files.flatMap((f) => parseFile(join(dir, f))) };
}

function parseFile(file: string): KubeDoc[] {
  const out: KubeDoc[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const d = value as Partial<KubeDoc>;
    if (!d.apiVersion || !d.kind || !d.metadata?.name)
      throw new Error(`${file}: a document without apiVersion, kind or metadata.name`);
    out.push(d as KubeDoc);
  }
  return out;
}

/** The model names each Provider of a type offers (provider-sims must accept them). */
export function providerModels(docs: readonly KubeDoc[]): Record<ProviderType, string[]> {
  const out: Record<ProviderType, string[]> = { openai: [], anthropic: [], gemini: [] };
  for (const d of docs) {
    if (d.kind !== 'Provider') continue;
    const spec = d['spec'] as { type?: string; models?: { name: string }[] };
    const type = spec.type as ProviderType;
    if (type in out) out[type].push(...(spec.models ?? []).map((m) => m.name));
  }
  return out;
}

/**
 * Patched copies: each Provider's Secret gets the key of its target (as base64 `data`, the
 * way kubectl sends it), and simulated Providers get `baseURL` at their provider-sim.
 */
export function patchExamples(
  docs: readonly KubeDoc[],
  targets: Partial<Record<ProviderType, ProviderTarget>>,
): KubeDoc[] {
  const secretOf = new Map<string, { key: string; target: ProviderTarget }>();
  const out: KubeDoc[] = [];
  for (const d of docs) {
    if (d.kind !== 'Provider') continue;
    const spec = d['spec'] as {
      type: ProviderType;
      apiKeySecretRef: { name: string; key: string };
    };
    const target = targets[spec.type];
    if (target) secretOf.set(spec.apiKeySecretRef.name, { key: spec.apiKeySecretRef.key, target });
  }
  for (const d of docs) {
    const copy = structuredClone(d);
    if (copy.kind === 'Provider') {
      const spec = copy['spec'] as { type: ProviderType; baseURL?: string };
      const sim = targets[spec.type]?.simUrl;
      if (sim) spec.baseURL = spec.type === 'openai' ? `${sim}/v1` : sim;
    }
    if (copy.kind === 'Secret') {
      const ref = secretOf.get(copy.metadata.name);
      const strings = {
        ...((copy['stringData'] as Record<string, string> | undefined) ?? {}),
        ...(ref ? { [ref.key]: ref.target.key } : {}),
      };
      delete copy['stringData'];
      copy['data'] = {
        ...(copy['data'] ?? {}),
        ...Object.fromEntries(
          Object.entries(strings).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
        ),
      };
    }
    out.push(copy);
  }
  return out;
}
