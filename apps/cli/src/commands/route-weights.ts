import type { CommandContext } from '../cli/command.js';
import { EXIT_OK } from '../cli/exit-codes.js';
import { outputFormat } from '../cli/output-format.js';
import { renderTable } from '../cli/table.js';
import { UsageError } from '../cli/usage-error.js';
import { createApiClient, nsQuery } from '../client/api-client.js';
import { reportApiError } from './report-api-error.js';

interface Weights {
  route: string;
  version: number;
  versions: { version: number; at: number; source: string; examples: number }[];
  shadow: Record<string, number>;
  spentTodayUSD: number;
}

/** `bascule route weights ROUTE`: the versions of a Route's online weights, newest first. */
export async function routeWeights({ io, flags, args }: CommandContext): Promise<number> {
  const name = args[1];
  if (!name) throw new UsageError('name the Route: route weights ROUTE', 'route');
  const format = outputFormat(flags.output, ['table', 'json'] as const, 'route');
  try {
    const api = await createApiClient(io.env);
    const r = await api.request<Weights>(
      'GET',
      `/api/v1/routes/${encodeURIComponent(name)}/weights${nsQuery((flags.namespace as string | undefined) ?? api.namespace)}`,
    );
    if (format === 'json') {
      io.stdout.write(JSON.stringify(r, null, 2) + '\n');
      return EXIT_OK;
    }
    const shadow = Object.entries(r.shadow)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    io.stdout.write(
      `route: ${r.route}\nversion in force: ${r.version}${r.version === 0 ? ' (the shipped prior)' : ''}\n` +
        `shadow today: $${r.spentTodayUSD.toFixed(4)}${shadow ? `; ${shadow}` : ''}\n`,
    );
    io.stdout.write(
      renderTable(
        ['VERSION', 'WRITTEN', 'SOURCE', 'EXAMPLES'],
        r.versions.map((v) => [
          String(v.version),
          new Date(v.at).toISOString(),
          v.source,
          String(v.examples),
        ]),
      ),
    );
    return EXIT_OK;
  } catch (err) {
    return reportApiError(io, err);
  }
}

/** `bascule route rollback ROUTE [--to N]`: restores an earlier version as a new one. */
export async function routeRollback({ io, flags, args }: CommandContext): Promise<number> {
  const name = args[1];
  if (!name) throw new UsageError('name the Route: route rollback ROUTE [--to N]', 'route');
  let to: number | undefined;
  if (flags.to !== undefined) {
    to = Number(flags.to);
    if (typeof flags.to !== 'string' || !/^\d+$/.test(flags.to))
      throw new UsageError(`--to must be a version number (got "${String(flags.to)}")`, 'to');
  }
  try {
    const api = await createApiClient(io.env);
    const r = await api.request<{ route: string; version: number; restored: string }>(
      'POST',
      `/api/v1/routes/${encodeURIComponent(name)}/rollback${nsQuery((flags.namespace as string | undefined) ?? api.namespace)}`,
      { json: to === undefined ? {} : { to } },
    );
    io.stdout.write(
      `${r.route}: version ${r.version} now in force (the weights of version ${r.restored}${r.restored === '0' ? ', the shipped prior' : ''})\n`,
    );
    return EXIT_OK;
  } catch (err) {
    return reportApiError(io, err);
  }
}
