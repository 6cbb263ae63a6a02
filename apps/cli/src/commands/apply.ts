import type { Command } from '../cli/command.js';
import { EXIT_FAILURE, EXIT_OK } from '../cli/exit-codes.js';
import { colour } from '../cli/table.js';
import { createApiClient, nsQuery } from '../client/api-client.js';
import { reportApiError } from './report-api-error.js';
import { filenameFlag, readManifests } from './manifest-input.js';

interface ApplyResponse {
  results: { kind: string; name: string; result: string }[];
}

export const applyCommand: Command = {
  name: 'apply',
  summary: 'Apply Model, Provider and Route manifests (server-side apply).',
  usage: 'apply -f FILE|DIR|- [-n NAMESPACE] [--dry-run]',
  description: `Prints one line per object: created, configured or unchanged. Other kinds
(Secrets) are skipped with a note: apply them with kubectl.
Examples:
  bascule apply -f manifests/examples
  cat route.yaml | bascule apply -f -`,
  flags: {
    filename: filenameFlag('File, directory or - (stdin); repeatable.'),
    namespace: {
      type: 'string',
      short: 'n',
      value: 'NS',
      description: 'Namespace for objects that name none.',
    },
    'dry-run': { type: 'boolean', description: 'Show what would happen; change nothing.' },
  },
  async run({ io, flags }) {
    const input = await readManifests(io, flags, 'apply');
    if (!input) return EXIT_FAILURE;
    for (const s of input.skipped)
      io.stderr.write(`${s} skipped (not a Bascule resource; use kubectl)\n`);
    if (input.count === 0) return EXIT_OK;
    try {
      const api = await createApiClient(io.env);
      const dry = flags['dry-run'] === true;
      const r = await api.request<ApplyResponse>(
        'POST',
        `/api/v1/apply${nsQuery((flags.namespace as string | undefined) ?? api.namespace, dry ? 'dryRun=true' : '')}`,
        { yaml: input.yaml },
      );
      for (const o of r.results) {
        const code = o.result === 'created' ? 32 : o.result === 'configured' ? 33 : 2;
        io.stdout.write(
          `${o.kind.toLowerCase()}.bascule.dev/${o.name} ${colour(io, code, o.result)}${dry ? ' (dry run)' : ''}\n`,
        );
      }
      return EXIT_OK;
    } catch (err) {
      return reportApiError(io, err);
    }
  },
};
