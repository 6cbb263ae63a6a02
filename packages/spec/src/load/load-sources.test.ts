import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL, ROUTE } from './bad-input-cases.js';
import { allIssues, formatLoadIssue } from './load-result.js';
import { loadSources } from './load-sources.js';
import { loadText } from './load-text.js';

const SECRET =
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: hf-token\nstringData:\n  HF_TOKEN: x\n';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spec-load-'));
  await mkdir(join(dir, 'b', 'deeper'), { recursive: true });
  await mkdir(join(dir, '.hidden'));
  await writeFile(join(dir, 'a.yaml'), `${SECRET}---\n${MODEL}`);
  await writeFile(join(dir, 'b', 'deeper', 'route.yml'), ROUTE);
  await writeFile(
    join(dir, 'b', 'model.json'),
    JSON.stringify({
      apiVersion: 'bascule.dev/v1alpha1',
      kind: 'Model',
      metadata: { name: 'json-model' },
      spec: { source: 's3://models/llama', engine: 'tgi', gpus: 'nvidia-a10g:1' },
    }),
  );
  await writeFile(join(dir, 'b', 'notes.txt'), 'not a manifest');
  await writeFile(join(dir, '.hidden', 'x.yaml'), 'kind: [');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const names = (docs: Awaited<ReturnType<typeof loadSources>>['documents']) =>
  docs.map((d) => `${d.result?.status}:${d.result?.kind}/${d.result?.name}@${d.line}`);

describe('loadSources', () => {
  it('walks directories recursively in name order, YAML and JSON, skipping other and hidden files', async () => {
    const out = await loadSources([dir]);
    expect(allIssues(out)).toEqual([]);
    expect(names(out.documents)).toEqual([
      'foreign:Secret/hf-token@1',
      'valid:Model/llama@8',
      'valid:Route/chat@1',
      'valid:Model/json-model@1',
    ]);
  });

  it('passes foreign objects through untouched', async () => {
    const out = await loadSources([join(dir, 'a.yaml')]);
    const secret = out.documents[0]!.result!;
    expect(secret.status).toBe('foreign');
    if (secret.status === 'foreign') {
      expect(secret.object).toEqual({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'hf-token' },
        stringData: { HF_TOKEN: 'x' },
      });
    }
  });

  it('reads stdin for -, and stops reading past the size limit', async () => {
    const out = await loadSources(['-'], { stdin: Readable.from([MODEL]) });
    expect(names(out.documents)).toEqual(['valid:Model/llama@1']);
    expect(out.documents[0]!.file).toBe('<stdin>');
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled++;
        this.push(Buffer.alloc(64 * 1024, 'a'));
      },
    });
    const big = await loadSources(['-'], { stdin: endless, maxBytes: 1024 * 1024 });
    endless.destroy();
    expect(allIssues(big).map(formatLoadIssue)).toEqual([
      '<stdin>:1:1: source is 1.1 MiB, more than the 1.0 MiB limit; split it into smaller files',
    ]);
    expect(pulled).toBeLessThan(40);
  });

  it('reports unreadable paths and empty directories without throwing', async () => {
    await mkdir(join(dir, 'empty'));
    const out = await loadSources([join(dir, 'missing.yaml'), join(dir, 'empty')]);
    expect(allIssues(out).map(formatLoadIssue)).toEqual([
      `${join(dir, 'missing.yaml')}: cannot read: no such file or directory`,
      `${join(dir, 'empty')}: no .yaml, .yml or .json files found`,
    ]);
  });
});

describe('loadText', () => {
  it('strips a byte-order mark and skips empty documents between objects', () => {
    const out = loadText(`\uFEFF---\n---\n${MODEL}---\n# only a comment\n`, 'x.yaml');
    expect(allIssues(out)).toEqual([]);
    expect(names(out.documents)).toEqual(['valid:Model/llama@3']);
  });

  it('applies defaults to valid objects', () => {
    const doc = loadText(MODEL, 'x.yaml').documents[0]!;
    expect(
      doc.result?.status === 'valid' &&
        doc.result.resource.kind === 'Model' &&
        doc.result.resource.spec.maxConcurrency,
    ).toBe(256);
  });

  it('expands a List (kubectl get -o yaml output) and locates errors inside its items', () => {
    const indent = (text: string) => text.trimEnd().split('\n').join('\n    ');
    const list = `apiVersion: v1\nkind: List\nitems:\n  - ${indent(MODEL)}\n  - ${indent(MODEL.replace('name: llama', 'name: other').replace('engine: vllm', 'engine: tensorrt'))}\n`;
    const out = loadText(list, 'list.yaml');
    expect(names(out.documents)).toEqual(['valid:Model/llama@4', 'invalid:Model/other@12']);
    expect(allIssues(out).map(formatLoadIssue)).toEqual([
      'list.yaml:18:15: Model/other .spec.engine: must be one of vllm, tgi; got "tensorrt"',
    ]);
  });
});
