import type { Command } from '../cli/command.js';
import { EXIT_OK } from '../cli/exit-codes.js';
import { UsageError } from '../cli/usage-error.js';
import { renderTable } from '../cli/table.js';
import { createApiClient, nsQuery } from '../client/api-client.js';
import {
  conditionsBlock,
  indent,
  renderProvider,
  renderRoute,
  type DescribedProvider,
  type DescribedRoute,
} from './describe-route-provider.js';
import { reportApiError } from './report-api-error.js';
import { resourceType } from './resource-type.js';

interface Status {
  name: string;
  namespace: string;
  conditions: { type: string; status: string; reason?: string; message?: string }[];
  replicas: { desired: number; ready: number };
  endpoints: { ip: string; port: number; ready: boolean; pod?: string; node?: string }[];
  gpu: { type: string; perReplica: number; total?: number; used?: number; free?: number } | null;
  load: { inFlight: number; requestsToday: number };
  overflowToday: number;
  overflowedAwayToday?: { total: number; byReason: Record<string, number> };
  events: { type: string; reason: string; message: string; count: number }[];
}

export const describeCommand: Command = {
  name: 'describe',
  summary:
    'Show a Model (conditions, replicas, endpoints, GPUs, load, overflow, events), a Route or a Provider in detail.',
  usage: 'describe model|route|provider NAME [-n NS]',
  flags: { namespace: { type: 'string', short: 'n', value: 'NS', description: 'Namespace.' } },
  maxArgs: 2,
  async run({ io, flags, args }) {
    const type = resourceType(args[0], 'describe');
    if (!args[1]) throw new UsageError(`name the ${type.slice(0, -1)} to describe`, 'describe');
    try {
      const api = await createApiClient(io.env);
      const q = nsQuery((flags.namespace as string | undefined) ?? api.namespace);
      if (type !== 'models') {
        const path = `/api/v1/${type}/${encodeURIComponent(args[1])}${q}`;
        io.stdout.write(
          type === 'routes'
            ? renderRoute(await api.request<DescribedRoute>('GET', path))
            : renderProvider(await api.request<DescribedProvider>('GET', path)),
        );
        return EXIT_OK;
      }
      const s = await api.request<Status>(
        'GET',
        `/api/v1/models/${encodeURIComponent(args[1])}/status${q}`,
      );
      const lines = [
        `Name:         ${s.name}`,
        `Namespace:    ${s.namespace}`,
        `Replicas:     ${s.replicas.ready} ready / ${s.replicas.desired} desired`,
        `GPUs:         ${s.gpu ? `${s.gpu.perReplica} x ${s.gpu.type} per replica (cluster: ${s.gpu.free ?? 0} free of ${s.gpu.total ?? 0})` : '<none>'}`,
        `Load:         ${s.load.inFlight} in flight, ${s.load.requestsToday} requests today`,
        `Overflow:     ${overflowLine(s)}`,
      ];
      io.stdout.write(lines.join('\n') + '\n');
      io.stdout.write(conditionsBlock(s.conditions));
      io.stdout.write('Endpoints:\n');
      io.stdout.write(
        s.endpoints.length
          ? indent(
              renderTable(
                ['POD', 'ADDRESS', 'READY', 'NODE'],
                s.endpoints.map((e) => [
                  e.pod ?? '',
                  `${e.ip}:${e.port}`,
                  String(e.ready),
                  e.node ?? '',
                ]),
              ),
            )
          : '  <none>\n',
      );
      io.stdout.write('Events:\n');
      io.stdout.write(
        s.events.length
          ? indent(
              renderTable(
                ['TYPE', 'REASON', 'COUNT', 'MESSAGE'],
                s.events.map((e) => [e.type, e.reason, e.count, e.message]),
              ),
            )
          : '  <none>\n',
      );
      return EXIT_OK;
    } catch (err) {
      return reportApiError(io, err);
    }
  },
};

/** Both directions: requests that overflowed away from the Model (and why), and served as overflow. */
function overflowLine(s: Status): string {
  const away = s.overflowedAwayToday ?? { total: 0, byReason: {} };
  const why = Object.entries(away.byReason)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  return `${away.total} overflowed away today${why ? ` (${why})` : ''}; ${s.overflowToday} served as overflow`;
}
