import { stringify } from 'yaml';
import type { Command } from '../cli/command.js';
import { EXIT_FAILURE, EXIT_OK } from '../cli/exit-codes.js';
import { createApiClient, nsQuery } from '../client/api-client.js';
import { lineDiff } from './line-diff.js';
import { filenameFlag, readManifests } from './manifest-input.js';
import { reportApiError } from './report-api-error.js';

interface Side {
  metadata: Record<string, unknown>;
  spec?: unknown;
}

/** Exit codes as kubectl diff: 0 no differences, 1 differences, >1 errors. */
export const diffCommand: Command = {
  name: 'diff',
  summary: 'Show what apply would change (server-side dry run).',
  usage: 'diff -f FILE|DIR|- [-n NS]',
  description:
    'Exits 0 when nothing would change, 1 when something would, 2 on errors (as kubectl diff).',
  flags: {
    filename: filenameFlag('File, directory or - (stdin).'),
    namespace: {
      type: 'string',
      short: 'n',
      value: 'NS',
      description: 'Namespace for objects that name none.',
    },
  },
  async run({ io, flags }) {
    const input = await readManifests(io, flags, 'diff');
    if (!input) return 2;
    try {
      const api = await createApiClient(io.env);
      const r = await api.request<{
        results: { kind: string; name: string; result: string; live: Side | null; merged: Side }[];
      }>(
        'POST',
        `/api/v1/apply${nsQuery((flags.namespace as string | undefined) ?? api.namespace, 'dryRun=true')}`,
        { yaml: input.yaml },
      );
      let changed = false;
      for (const o of r.results) {
        if (o.result === 'unchanged') continue;
        changed = true;
        const view = (s: Side | null) =>
          s ? stringify({ metadata: pick(s.metadata), spec: s.spec }) : '';
        io.stdout.write(
          `--- live/${o.kind.toLowerCase()}/${o.name}\n+++ merged/${o.kind.toLowerCase()}/${o.name}\n`,
        );
        io.stdout.write(lineDiff(view(o.live), view(o.merged)));
      }
      return changed ? EXIT_FAILURE : EXIT_OK;
    } catch (err) {
      reportApiError(io, err);
      return 2;
    }
  },
};

function pick(m: Record<string, unknown>) {
  return {
    name: m.name,
    ...(m.labels ? { labels: m.labels } : {}),
    ...(m.annotations ? { annotations: m.annotations } : {}),
  };
}
