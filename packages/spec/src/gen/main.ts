#!/usr/bin/env node
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './generated-files.js';

/** `pnpm gen`: writes CRDs and docs/resources.md; `--check` only reports stale files (exit 1). */
async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
  let stale = 0;
  for (const file of generatedFiles()) {
    const target = join(root, file.path);
    const current = await readFile(target, 'utf8').catch(() => undefined);
    if (current === file.content) continue;
    stale++;
    if (check) {
      console.error(`${file.path} is out of date; run pnpm gen`);
    } else {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.content);
      console.log(`wrote ${file.path}`);
    }
  }
  if (stale === 0) console.log('generated files are up to date');
  return check && stale > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
