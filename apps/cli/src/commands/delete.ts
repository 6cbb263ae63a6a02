import type { Command } from '../cli/command.js';
import { EXIT_FAILURE, EXIT_OK } from '../cli/exit-codes.js';
import { UsageError } from '../cli/usage-error.js';
import { createApiClient, nsQuery } from '../client/api-client.js';
import { filenameFlag, readManifests } from './manifest-input.js';
import { reportApiError } from './report-api-error.js';
import { resourceType } from './resource-type.js';
import { parseAllDocuments } from 'yaml';

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'Delete Models, Routes or Providers by name or by manifest.',
  usage: 'delete (-f FILE|DIR|- | model|route|provider NAME) [-n NS]',
  flags: {
    filename: filenameFlag('Delete the objects these manifests name.'),
    namespace: { type: 'string', short: 'n', value: 'NS', description: 'Namespace.' },
  },
  maxArgs: 2,
  async run({ io, flags, args }) {
    const targets: { type: string; name: string; namespace?: string }[] = [];
    if (flags.filename) {
      if (args.length > 0) throw new UsageError('give either -f or TYPE NAME, not both', 'delete');
      const input = await readManifests(io, flags, 'delete');
      if (!input) return EXIT_FAILURE;
      for (const d of parseAllDocuments(input.yaml)) {
        const o = d.toJS() as {
          kind: string;
          metadata: { name: string; namespace?: string };
        } | null;
        if (o)
          targets.push({
            type: resourceType(o.kind, 'delete'),
            name: o.metadata.name,
            ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
          });
      }
    } else {
      const type = resourceType(args[0], 'delete');
      if (!args[1]) throw new UsageError(`name the ${type.slice(0, -1)} to delete`, 'delete');
      targets.push({ type, name: args[1] });
    }
    try {
      const api = await createApiClient(io.env);
      let failed = false;
      for (const t of targets) {
        const ns = t.namespace ?? (flags.namespace as string | undefined) ?? api.namespace;
        try {
          await api.request(
            'DELETE',
            `/api/v1/${t.type}/${encodeURIComponent(t.name)}${nsQuery(ns)}`,
          );
          io.stdout.write(`${t.type.slice(0, -1)}.bascule.dev/${t.name} deleted\n`);
        } catch (err) {
          failed = true;
          reportApiError(io, err);
        }
      }
      return failed ? EXIT_FAILURE : EXIT_OK;
    } catch (err) {
      return reportApiError(io, err);
    }
  },
};
