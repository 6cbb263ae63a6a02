import type { ValidationResult } from '../resource/validate-resource.js';

/** One problem, located in its source. */
export interface LoadIssue {
  /** File path as given, `<stdin>` for standard input. */
  file: string;
  /** 1-based line and column; 0 when the issue has no position (an unreadable file). */
  line: number;
  col: number;
  /** Kind and name of the object, when the document got that far. */
  kind?: string | undefined;
  name?: string | undefined;
  /** JSON path inside the object, e.g. `.spec.gpus` (absent for YAML syntax errors). */
  path?: string | undefined;
  message: string;
}

/** One YAML document of a source, with its validation outcome. */
export interface LoadedDocument {
  file: string;
  /** 0-based index of the document in its file. */
  index: number;
  line: number;
  col: number;
  /** Undefined when the document could not be decoded (syntax error). */
  result?: ValidationResult;
  issues: LoadIssue[];
}

/** Everything loaded from a set of sources. */
export interface LoadOutput {
  documents: LoadedDocument[];
  /** Problems not tied to one document: unreadable files, empty sources. */
  sourceIssues: LoadIssue[];
}

/** `file:line:col: Kind/name .json.path: message` (or `file:line:col: yaml: message`). */
export function formatLoadIssue(issue: LoadIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.col}` : issue.file;
  if (issue.kind === undefined) return `${where}: ${issue.message}`;
  return `${where}: ${issue.kind}/${issue.name ?? '<unnamed>'} ${issue.path ?? '.'}: ${issue.message}`;
}

/** Every issue of a load, in source order. */
export function allIssues(output: LoadOutput): LoadIssue[] {
  return [...output.sourceIssues, ...output.documents.flatMap((d) => d.issues)];
}
