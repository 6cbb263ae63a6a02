import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EXAMPLES,
  patchExamples,
  providerModels,
  readExamples,
  type KubeDoc,
} from './example-manifests.js';

const EXAMPLES = join(
  resolve(fileURLToPath(new URL('../../..', import.meta.url))),
  'manifests/examples',
);

describe('example manifests for pnpm start', () => {
  it('reads the default set, or every example with --all-examples', () => {
    const small = readExamples(EXAMPLES, false);
    expect(small.files).toEqual([...DEFAULT_EXAMPLES].sort());
    const all = readExamples(EXAMPLES, true);
    expect(all.files.length).toBeGreaterThan(small.files.length);
    expect(all.docs.filter((d) => d.kind === 'Model').map((d) => d.metadata.name)).toContain(
      'deepseek-v3',
    );
  });

  it('holds every weight-cache claim its Models mount (the kubelet leaves such pods Pending)', () => {
    for (const all of [false, true]) {
      const { docs } = readExamples(EXAMPLES, all);
      const claims = new Set(
        docs.filter((d) => d.kind === 'PersistentVolumeClaim').map((d) => d.metadata.name),
      );
      const mounted = docs.flatMap((d) => {
        const claim = (d.spec as { weightCache?: { claimName?: string } } | undefined)?.weightCache
          ?.claimName;
        return d.kind === 'Model' && claim ? [claim] : [];
      });
      expect(mounted.length).toBeGreaterThan(0);
      for (const c of mounted) expect(claims.has(c), `${c} (all: ${all})`).toBe(true);
    }
  });

  it('points simulated Providers at their sims and puts each key in its Secret, leaving real ones alone', () => {
    const { docs } = readExamples(EXAMPLES, false);
    const models = providerModels(docs);
    expect(models.openai).toContain('gpt-5-mini');
    expect(models.anthropic.length).toBeGreaterThan(0);
    const before = JSON.stringify(docs);
    const out = patchExamples(docs, {
      openai: { key: 'sk-sim-1', simUrl: 'http://127.0.0.1:9001' },
      anthropic: { key: 'sk-sim-2', simUrl: 'http://127.0.0.1:9002' },
      gemini: { key: 'real-gemini-key' },
    });
    expect(JSON.stringify(docs)).toBe(before); // copies, not edits
    const find = (kind: string, name: string) =>
      out.find((d) => d.kind === kind && d.metadata.name === name)! as KubeDoc & {
        spec: { baseURL?: string };
        data: Record<string, string>;
      };
    expect(find('Provider', 'openai').spec.baseURL).toBe('http://127.0.0.1:9001/v1');
    expect(find('Provider', 'anthropic').spec.baseURL).toBe('http://127.0.0.1:9002');
    expect(find('Provider', 'gemini').spec.baseURL).toBeUndefined();
    const secret = (name: string) =>
      Buffer.from(find('Secret', name).data['api-key']!, 'base64').toString();
    expect(secret('openai-api-key')).toBe('sk-sim-1');
    expect(secret('gemini-api-key')).toBe('real-gemini-key');
    expect(find('Secret', 'hf-token').data['HF_TOKEN']).toBeDefined();
    expect(out.some((d) => 'stringData' in d)).toBe(false);
  });
});
