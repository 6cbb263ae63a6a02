/**
 * Every Redis key is named in keyspace.ts: this test reads the source tree (packages, apps,
 * test, scripts) and fails on a key spelled anywhere else — a `bsc:…` string literal, a
 * `${prefix}name:` template, or a BullMQ prefix of its own.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SELF = 'packages/keyspace/src/';
const SKIP = new Set(['node_modules', 'dist', '.git', 'coverage']);

const PATTERNS: readonly RegExp[] = [
  /['"`]bsc:[A-Za-z0-9{$]/, // a key literal
  /\$\{(?:prefix|p|o\.prefix|options\.prefix|deps\.prefix[^}]*)\}[a-z][a-z-]*:/, // `${prefix}usage:`
  /prefix:\s*['"`](?:mpq|bsc|\{)/, // a BullMQ (or store) prefix literal
];

/** Lines of `text` that spell a Redis key; comment lines are skipped. */
export function keyLiterals(text: string): string[] {
  return text.split('\n').filter((line) => {
    const t = line.trim();
    if (t.startsWith('*') || t.startsWith('//') || t.startsWith('/*')) return false;
    return PATTERNS.some((p) => p.test(line));
  });
}

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|mts|mjs|js)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

describe('the keyspace is the only place a Redis key is spelled', () => {
  it('finds a key spelled outside it (the check can fail)', () => {
    expect(keyLiterals('const k = `bsc:usage:${day}`;')).toHaveLength(1);
    expect(keyLiterals('const k = `${prefix}inflight:${model}`;')).toHaveLength(1);
    expect(keyLiterals("new Queue(name, { connection, prefix: 'mpq' });")).toHaveLength(1);
    expect(keyLiterals(' * doc: `bsc:usage:{day}` is fine in a comment')).toEqual([]);
    expect(keyLiterals("const k = usageKey(day, 'key', id);")).toEqual([]);
  });

  it('no file outside packages/keyspace spells one', () => {
    const found: string[] = [];
    const roots = ['packages', 'apps', 'test', 'scripts'].map((d) => join(ROOT, d));
    const files = roots.flatMap((r) => sources(r));
    expect(files.length).toBeGreaterThan(500);
    for (const f of files) {
      const rel = relative(ROOT, f).split('\\').join('/');
      if (rel.startsWith(SELF)) continue;
      for (const line of keyLiterals(readFileSync(f, 'utf8'))) found.push(`${rel}: ${line.trim()}`);
    }
    expect(found).toEqual([]);
  });
});
