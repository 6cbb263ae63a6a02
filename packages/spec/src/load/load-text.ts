import { LineCounter, parseAllDocuments, type Document, type YAMLError } from 'yaml';
import { formatPath } from '../resource/spec-error.js';
import { validateResource } from '../resource/validate-resource.js';
import type { LoadedDocument, LoadIssue, LoadOutput } from './load-result.js';
import { nodeOffset } from './node-position.js';

/** Largest source accepted, in bytes (the Kubernetes API server takes at most 3 MiB per request). */
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

export interface LoadTextOptions {
  maxBytes?: number;
}

/**
 * Decodes and validates every YAML (or JSON) document of one source. Never throws on bad input:
 * every problem comes back as a located issue.
 */
export function loadText(text: string, file: string, options: LoadTextOptions = {}): LoadOutput {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    return {
      documents: [],
      sourceIssues: [
        {
          file,
          line: 1,
          col: 1,
          message: `source is ${formatBytes(bytes)}, more than the ${formatBytes(maxBytes)} limit; split it into smaller files`,
        },
      ],
    };
  }
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  // YAML 1.1, as kubectl reads manifests (sigs.k8s.io/yaml): an unquoted `on`, `yes` or `y` is
  // true there, and the same file must mean the same object in bascule and in kubectl.
  const docs = parseAllDocuments(source, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    version: '1.1',
    logLevel: 'error', // no process warnings from a library; problems come back as issues
  });
  const at = (offset: number) => lineCounter.linePos(Math.max(0, offset));
  const documents: LoadedDocument[] = [];
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    // parseAllDocuments returns an EmptyStream for input with no documents at all.
    return { documents: [], sourceIssues: [noObjects(file)] };
  }
  list.forEach((doc, index) => documents.push(...loadDocument(doc, index, file, source, at)));
  return { documents, sourceIssues: documents.length === 0 ? [noObjects(file)] : [] };
}

function loadDocument(
  doc: Document,
  index: number,
  file: string,
  source: string,
  at: (offset: number) => { line: number; col: number },
): LoadedDocument[] {
  const start = at(doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0);
  const base = { file, index, line: start.line, col: start.col };
  if (doc.errors.length > 0) {
    // Later syntax errors are mostly fallout of the first: report the first only.
    return [{ ...base, issues: [syntaxIssue(doc.errors[0]!, file, source, at, start)] }];
  }
  if (doc.contents === null) return [];
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const alias = /Unresolved alias.*: (\S+)$/.exec(message)?.[1];
    const offset = alias === undefined ? -1 : source.indexOf(`*${alias}`, doc.range?.[0] ?? 0);
    const pos = offset >= 0 ? at(offset) : start;
    return [{ ...base, issues: [{ file, ...pos, message: `yaml: ${message}` }] }];
  }
  if (value === null || value === undefined) return [];
  if (isList(value)) {
    // `kubectl get -o yaml` output: validate each item where it sits.
    return value.items.map((item, i) => {
      const offset = nodeOffset(doc, ['items', i], false).offset;
      return validateAt(doc, item, ['items', i], { ...base, ...at(offset) }, at);
    });
  }
  return [validateAt(doc, value, [], base, at)];
}

/** A `v1 List` (or `ModelList`...) wrapping objects in `items`. */
function isList(value: unknown): value is { items: unknown[] } {
  const v = value as { kind?: unknown; items?: unknown };
  return typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
}

function validateAt(
  doc: Document,
  value: unknown,
  prefix: (string | number)[],
  base: Omit<LoadedDocument, 'issues'>,
  at: (offset: number) => { line: number; col: number },
): LoadedDocument {
  const file = base.file;
  const result = validateResource(value);
  const issues: LoadIssue[] =
    result.status !== 'invalid'
      ? []
      : result.issues.map((issue) => {
          const hit = nodeOffset(doc, [...prefix, ...issue.path], issue.onKey === true);
          return {
            file,
            ...at(hit.offset),
            kind: result.kind,
            name: result.name,
            path: formatPath(issue.path),
            message: issue.message,
          };
        });
  issues.sort((a, b) => a.line - b.line || a.col - b.col);
  return { ...base, result, issues };
}

function syntaxIssue(
  error: YAMLError,
  file: string,
  source: string,
  at: (offset: number) => { line: number; col: number },
  docStart: { line: number; col: number },
): LoadIssue {
  let pos = at(error.pos[0]);
  let message: string = error.message;
  if (error.code === 'DUPLICATE_KEY') {
    const key = /^\s*["']?([^"':\n]*)/.exec(source.slice(error.pos[0]))?.[1]?.trim();
    message = key ? `duplicate key "${key}"` : 'duplicate key';
  } else if (/call stack/i.test(message)) {
    // Where the stack ran out depends on the runtime; point at the document instead.
    message = 'the document is nested too deeply';
    pos = docStart;
  } else if (error.code === 'TAB_AS_INDENT') {
    message = 'tabs are not allowed as indentation; indent with spaces';
  }
  return { file, ...pos, message: `yaml: ${message}` };
}

function noObjects(file: string): LoadIssue {
  return { file, line: 1, col: 1, message: 'no objects found (the source is empty)' };
}

/** Bytes as MiB with one decimal, as every size message shows them. */
export function formatBytes(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
