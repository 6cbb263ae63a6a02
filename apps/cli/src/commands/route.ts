import type { Command } from '../cli/command.js';
import { EXIT_OK } from '../cli/exit-codes.js';
import { outputFormat } from '../cli/output-format.js';
import { renderTable } from '../cli/table.js';
import { UsageError } from '../cli/usage-error.js';
import { createApiClient, nsQuery } from '../client/api-client.js';
import { renderExplainHead, type Explain } from './render-explain.js';
import { reportApiError } from './report-api-error.js';
import { routeRollback, routeWeights } from './route-weights.js';

export const routeCommand: Command = {
  name: 'route',
  summary:
    "Explain a Route's decision for a sample prompt (nothing is sent); show or roll back its learned weights.",
  usage:
    'route explain ROUTE --prompt TEXT [--privacy strict] [-o table|json] [-n NS] | route weights ROUTE [-o table|json] | route rollback ROUTE [--to N]',
  flags: {
    prompt: { type: 'string', value: 'TEXT', description: 'The sample prompt.' },
    privacy: { type: 'string', value: 'MODE', description: 'strict or standard.' },
    output: { type: 'string', short: 'o', value: 'FORMAT', description: 'table or json.' },
    namespace: { type: 'string', short: 'n', value: 'NS', description: 'Namespace.' },
    to: {
      type: 'string',
      value: 'N',
      description: 'rollback: the version to restore (default the previous; 0 the shipped prior).',
    },
  },
  maxArgs: 2,
  async run(ctx) {
    const { io, flags, args } = ctx;
    if (args[0] === 'weights') return routeWeights(ctx);
    if (args[0] === 'rollback') return routeRollback(ctx);
    if (args[0] !== 'explain')
      throw new UsageError(
        'use: route explain ROUTE --prompt TEXT, route weights ROUTE or route rollback ROUTE [--to N]',
        'route',
      );
    if (!args[1]) throw new UsageError('name the Route to explain', 'route');
    if (typeof flags.prompt !== 'string')
      throw new UsageError('--prompt TEXT is required', 'route');
    const format = outputFormat(flags.output, ['table', 'json'] as const, 'route');
    try {
      const api = await createApiClient(io.env);
      const r = await api.request<Explain>(
        'POST',
        `/api/v1/routes/${encodeURIComponent(args[1])}/explain${nsQuery((flags.namespace as string | undefined) ?? api.namespace)}`,
        { json: { prompt: flags.prompt, ...(flags.privacy ? { privacy: flags.privacy } : {}) } },
      );
      if (format === 'json') {
        io.stdout.write(JSON.stringify(r, null, 2) + '\n');
        return EXIT_OK;
      }
      io.stdout.write(renderExplainHead(r));
      io.stdout.write(
        renderTable(
          ['TARGET', 'VERDICT', 'CODE', 'WHY'],
          r.explanation.targets.map((t) => [
            t.adapter !== undefined ? `${t.target} (adapter ${t.adapter})` : t.target,
            t.verdict,
            t.code ?? '',
            t.message,
          ]),
        ),
      );
      return EXIT_OK;
    } catch (err) {
      return reportApiError(io, err);
    }
  },
};
