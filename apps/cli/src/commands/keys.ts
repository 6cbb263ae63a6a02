import type { Command } from '../cli/command.js';
import { EXIT_OK } from '../cli/exit-codes.js';
import { outputFormat } from '../cli/output-format.js';
import { renderTable, str } from '../cli/table.js';
import { UsageError } from '../cli/usage-error.js';
import { createApiClient } from '../client/api-client.js';
import { reportApiError } from './report-api-error.js';

interface KeyInfo {
  id: string;
  name: string;
  prefix: string;
  tenant: string;
  role: string;
  routes?: string[];
  budget?: { usd: number; period: string };
  rpm?: number;
  tpm?: number;
  key?: string;
}

function num(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${flag} must be a positive number (got "${str(v)}")`, 'keys');
  return n;
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'Create, list and revoke API keys.',
  usage:
    'keys create NAME [--tenant T] [--role user|operator|admin] [--routes a,b] [--budget USD] [--period day|month] [--rpm N] [--tpm N] | keys list | keys revoke ID',
  description: 'The secret of a new key is printed once; store it then.',
  flags: {
    tenant: { type: 'string', value: 'TENANT', description: 'Tenant of the key.' },
    role: { type: 'string', value: 'ROLE', description: 'user (default), operator or admin.' },
    routes: {
      type: 'string',
      value: 'LIST',
      description: 'Comma-separated Routes the key may call.',
    },
    budget: { type: 'string', value: 'USD', description: 'Budget in USD per period.' },
    period: { type: 'string', value: 'PERIOD', description: 'day or month (default month).' },
    rpm: { type: 'string', value: 'N', description: 'Requests per minute.' },
    tpm: { type: 'string', value: 'N', description: 'Tokens per minute.' },
    output: { type: 'string', short: 'o', value: 'FORMAT', description: 'table or json.' },
  },
  maxArgs: 2,
  async run({ io, flags, args }) {
    const format = outputFormat(flags.output, ['table', 'json'] as const, 'keys');
    const sub = args[0];
    if (sub !== 'create' && sub !== 'list' && sub !== 'revoke')
      throw new UsageError(
        sub
          ? `unknown keys command "${sub}"; use create, list or revoke`
          : 'use keys create, list or revoke',
        'keys',
      );
    if (sub !== 'list' && !args[1])
      throw new UsageError(`keys ${sub} needs ${sub === 'create' ? 'a NAME' : 'a key ID'}`, 'keys');
    const body =
      sub === 'create'
        ? {
            name: args[1],
            ...(flags.tenant ? { tenant: flags.tenant } : {}),
            ...(flags.role ? { role: flags.role } : {}),
            ...(flags.routes ? { routes: String(flags.routes).split(',').filter(Boolean) } : {}),
            ...(flags.budget
              ? {
                  budget: {
                    usd: num(flags.budget, 'budget'),
                    ...(flags.period ? { period: flags.period } : {}),
                  },
                }
              : {}),
            ...(flags.rpm ? { rpm: num(flags.rpm, 'rpm') } : {}),
            ...(flags.tpm ? { tpm: num(flags.tpm, 'tpm') } : {}),
          }
        : undefined;
    try {
      const api = await createApiClient(io.env);
      if (sub === 'create') {
        const k = await api.request<KeyInfo>('POST', '/api/v1/keys', { json: body });
        if (format === 'json') io.stdout.write(JSON.stringify(k, null, 2) + '\n');
        else
          io.stdout.write(`key ${k.id} created (tenant ${k.tenant}, role ${k.role})\n${k.key}\n`);
        if (format !== 'json') io.stderr.write('Store this key now: it is not shown again.\n');
      } else if (sub === 'list') {
        const { items } = await api.request<{ items: KeyInfo[] }>('GET', '/api/v1/keys');
        if (format === 'json') io.stdout.write(JSON.stringify(items, null, 2) + '\n');
        else
          io.stdout.write(
            renderTable(
              ['ID', 'NAME', 'PREFIX', 'TENANT', 'ROLE', 'BUDGET', 'RPM', 'TPM', 'ROUTES'],
              items.map((k) => [
                k.id,
                k.name,
                `${k.prefix}...`,
                k.tenant,
                k.role,
                k.budget ? `$${k.budget.usd}/${k.budget.period}` : '-',
                k.rpm ?? '-',
                k.tpm ?? '-',
                k.routes?.join(',') ?? '*',
              ]),
            ),
          );
      } else {
        await api.request('DELETE', `/api/v1/keys/${encodeURIComponent(args[1]!)}`);
        io.stdout.write(`key ${args[1]} revoked\n`);
      }
      return EXIT_OK;
    } catch (err) {
      return reportApiError(io, err);
    }
  },
};
