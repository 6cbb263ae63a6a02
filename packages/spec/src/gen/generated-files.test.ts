import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from './generated-files.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

describe('generated files', () => {
  it('committed CRDs and docs/resources.md match what `pnpm gen` writes', async () => {
    const files = generatedFiles();
    expect(files.map((f) => f.path)).toEqual([
      'manifests/crds/bascule.dev_models.yaml',
      'charts/bascule/crds/bascule.dev_models.yaml',
      'manifests/crds/bascule.dev_providers.yaml',
      'charts/bascule/crds/bascule.dev_providers.yaml',
      'manifests/crds/bascule.dev_routes.yaml',
      'charts/bascule/crds/bascule.dev_routes.yaml',
      'docs/resources.md',
    ]);
    const stale: string[] = [];
    for (const file of files) {
      const committed = await readFile(root + file.path, 'utf8').catch(() => '');
      if (committed !== file.content) stale.push(file.path);
    }
    expect(stale, 'out of date: run `pnpm gen` and commit the result').toEqual([]);
  });

  it('documents every spec field with a description', () => {
    const docs = generatedFiles().find((f) => f.path === 'docs/resources.md')!.content;
    const rows = docs.split('\n').filter((l) => l.startsWith('| `spec.'));
    expect(rows.length).toBeGreaterThan(60);
    const undocumented = rows.filter((l) => l.trimEnd().endsWith('|  |'));
    expect(undocumented).toEqual([]);
    expect(docs).toContain('| `spec.gpus` (required) | string |');
    expect(docs).toContain(
      '| `spec.strategy` | one of `priority`, `cost`, `complexity` | `"priority"` |',
    );
  });
});
