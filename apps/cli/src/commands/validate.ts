import {
  allIssues,
  formatLoadIssue,
  loadSources,
  type LoadIssue,
  type LoadOutput,
} from '@bascule/spec';
import type { Command } from '../cli/command.js';
import { EXIT_FAILURE, EXIT_OK } from '../cli/exit-codes.js';
import { outputFormat } from '../cli/output-format.js';
import { UsageError } from '../cli/usage-error.js';
import { filenameFlag } from './manifest-input.js';

/** One object in `validate -o json`. */
export interface ValidatedObject {
  file: string;
  line: number;
  kind: string;
  name: string | null;
  namespace: string | null;
  status: 'valid' | 'invalid' | 'skipped';
  errors: LoadIssue[];
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check Model, Provider and Route manifests without applying them.',
  usage: 'validate -f FILE|DIR|- [-f ...] [-o text|json]',
  description: `Reads YAML or JSON manifests (multi-document; directories recursively; - for stdin)
and prints one line per object, or each error as file:line:col: Kind/name .path: message.
Objects of other kinds (a Secret next to a Provider) are skipped. Exits 0 when everything
is valid, 1 when anything is not.

Examples:
  bascule validate -f manifests/examples
  cat model.yaml | bascule validate -f -
  bascule validate -f route.yaml -o json`,
  flags: {
    filename: filenameFlag('File, directory or - (stdin); repeatable.'),
    output: { type: 'string', short: 'o', value: 'FORMAT', description: 'text (default) or json.' },
  },
  async run({ io, flags }) {
    const format = outputFormat(flags.output, ['text', 'json'] as const, 'validate');
    const sources = (flags.filename as string[] | undefined) ?? [];
    if (sources.length === 0) {
      throw new UsageError('flag -f is required: a file, a directory, or - for stdin', 'validate');
    }
    const loaded = await loadSources(sources, { stdin: io.stdin });
    const objects = summarize(loaded);
    const ok = allIssues(loaded).length === 0;
    if (format === 'json') {
      io.stdout.write(
        JSON.stringify({ valid: ok, objects, errors: loaded.sourceIssues }, null, 2) + '\n',
      );
    } else {
      for (const o of objects) {
        if (o.status === 'invalid') continue;
        const ref = `${o.kind.toLowerCase()}/${o.name ?? '<unnamed>'}`;
        io.stdout.write(
          o.status === 'valid' ? `${ref} valid\n` : `${ref} skipped (not a Bascule resource)\n`,
        );
      }
      const issues = allIssues(loaded);
      for (const issue of issues) io.stderr.write(formatLoadIssue(issue) + '\n');
      if (!ok) io.stderr.write(`${issues.length} error${issues.length === 1 ? '' : 's'} found\n`);
    }
    return ok ? EXIT_OK : EXIT_FAILURE;
  },
};

function summarize(loaded: LoadOutput): ValidatedObject[] {
  return loaded.documents.map((doc) => {
    const result = doc.result;
    const base = { file: doc.file, line: doc.line, errors: doc.issues };
    if (!result)
      return { ...base, kind: 'Unknown', name: null, namespace: null, status: 'invalid' };
    if (result.status === 'valid') {
      const meta = result.resource.metadata;
      return {
        ...base,
        kind: result.kind,
        name: meta.name,
        namespace: meta.namespace ?? null,
        status: 'valid',
      };
    }
    if (result.status === 'foreign') {
      return {
        ...base,
        kind: result.kind,
        name: result.name ?? null,
        namespace: null,
        status: 'skipped',
      };
    }
    return {
      ...base,
      kind: result.kind,
      name: result.name ?? null,
      namespace: null,
      status: 'invalid',
    };
  });
}
