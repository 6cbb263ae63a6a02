// docs/install.md's GPU node label table says what the built-in profiles match: one row per known
// GPU type, naming every label value of each platform (and "not on GKE" when GKE has none).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KNOWN_GPU_TYPES } from '@bascule/spec';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/render-chart.js';

const doc = readFileSync(join(ROOT, 'docs/install.md'), 'utf8');

describe('docs/install.md GPU node labels', () => {
  it.each(Object.entries(KNOWN_GPU_TYPES))('%s: its row names every label value', (name, type) => {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${name}\``));
    expect(row, name).toBeDefined();
    const cells = row!.split('|').map((c) => c.trim());
    const values = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    expect(values(cells[2]!)).toEqual([type.product, ...(type.products ?? [])]);
    if (type.gkeAccelerator) expect(values(cells[3]!)).toEqual(type.gkeAccelerator);
    else expect(cells[3]).toBe('(not on GKE)');
    expect(values(cells[4]!)).toEqual(type.eksInstanceTypes ?? []);
  });
});
