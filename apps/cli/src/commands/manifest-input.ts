import { allIssues, formatLoadIssue, loadSources } from '@bascule/spec';
import { stringify } from 'yaml';
import type { CliIo } from '../cli/cli-io.js';
import type { FlagSpec } from '../cli/command.js';
import { UsageError } from '../cli/usage-error.js';

/** The -f flag of the commands that read manifests; `description` is what it says in help. */
export function filenameFlag(description: string): FlagSpec {
  return { type: 'string', short: 'f', multiple: true, value: 'PATH', description };
}

/** Reads -f sources, reports bad YAML as file:line:col, returns Bascule objects as one YAML stream. */
export async function readManifests(
  io: CliIo,
  flags: Record<string, unknown>,
  command: string,
): Promise<{ yaml: string; count: number; skipped: string[] } | undefined> {
  const sources = (flags.filename as string[] | undefined) ?? [];
  if (sources.length === 0)
    throw new UsageError('flag -f is required: a file, a directory, or - for stdin', command);
  const loaded = await loadSources(sources, { stdin: io.stdin });
  const issues = allIssues(loaded);
  if (issues.length > 0) {
    for (const i of issues) io.stderr.write(formatLoadIssue(i) + '\n');
    return undefined;
  }
  const docs: unknown[] = [];
  const skipped: string[] = [];
  for (const d of loaded.documents) {
    if (d.result?.status === 'valid') docs.push(d.result.resource);
    else if (d.result?.status === 'foreign')
      skipped.push(`${d.result.kind.toLowerCase()}/${d.result.name ?? '<unnamed>'}`);
  }
  return { yaml: docs.map((d) => stringify(d)).join('---\n'), count: docs.length, skipped };
}
