import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadIssue, LoadOutput } from './load-result.js';
import { DEFAULT_MAX_BYTES, formatBytes, loadText } from './load-text.js';

/** Name used for standard input in messages. */
export const STDIN_NAME = '<stdin>';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

export interface LoadSourcesOptions {
  /** Stream read for the source `-` (defaults to process.stdin). */
  stdin?: NodeJS.ReadableStream;
  maxBytes?: number;
}

/**
 * Loads files, directories (recursively: *.yaml, *.yml, *.json, in name order) and `-` for
 * standard input. Problems come back as located issues; this never throws on bad input.
 */
export async function loadSources(
  sources: readonly string[],
  options: LoadSourcesOptions = {},
): Promise<LoadOutput> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const out: LoadOutput = { documents: [], sourceIssues: [] };
  for (const source of sources) {
    if (source === '-') {
      const text = await readStream(options.stdin ?? process.stdin, maxBytes);
      merge(out, loadText(text, STDIN_NAME, { maxBytes }));
      continue;
    }
    const files = await expand(source, out.sourceIssues);
    for (const file of files) merge(out, await loadFile(file, maxBytes));
  }
  return out;
}

async function loadFile(file: string, maxBytes: number): Promise<LoadOutput> {
  try {
    const info = await stat(file);
    if (info.size > maxBytes) return tooBig(file, info.size, maxBytes);
    return loadText(await readFile(file, 'utf8'), file, { maxBytes });
  } catch (error) {
    return { documents: [], sourceIssues: [unreadable(file, error)] };
  }
}

async function expand(source: string, issues: LoadIssue[]): Promise<string[]> {
  try {
    const info = await stat(source);
    if (!info.isDirectory()) return [source];
    const files = await walk(source);
    if (files.length === 0) {
      issues.push({
        file: source,
        line: 0,
        col: 0,
        message: 'no .yaml, .yml or .json files found',
      });
    }
    return files;
  } catch (error) {
    issues.push(unreadable(source, error));
    return [];
  }
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) files.push(path);
  }
  return files;
}

async function readStream(stream: NodeJS.ReadableStream, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(buf);
    size += buf.length;
    // Keep one byte past the limit so loadText reports the size instead of a truncated parse.
    if (size > maxBytes) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function merge(into: LoadOutput, from: LoadOutput): void {
  into.documents.push(...from.documents);
  into.sourceIssues.push(...from.sourceIssues);
}

function tooBig(file: string, size: number, maxBytes: number): LoadOutput {
  return {
    documents: [],
    sourceIssues: [
      {
        file,
        line: 1,
        col: 1,
        message: `source is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} limit; split it into smaller files`,
      },
    ],
  };
}

function unreadable(file: string, error: unknown): LoadIssue {
  const code = (error as { code?: string }).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file or directory'
      : code === 'EACCES'
        ? 'permission denied'
        : error instanceof Error
          ? error.message
          : String(error);
  return { file, line: 0, col: 0, message: `cannot read: ${reason}` };
}
