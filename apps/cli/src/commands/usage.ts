import type { Command } from '../cli/command.js';
import { EXIT_OK } from '../cli/exit-codes.js';
import { outputFormat } from '../cli/output-format.js';
import { renderTable } from '../cli/table.js';
import { UsageError } from '../cli/usage-error.js';
import { createApiClient } from '../client/api-client.js';
import { reportApiError } from './report-api-error.js';

interface Row {
  day: string;
  name: string;
  keyName?: string | null;
  kind?: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUSD: number;
  overflow: number;
}

export const usageCommand: Command = {
  name: 'usage',
  summary: 'Tokens and cost by key, route, target or LoRA adapter and day.',
  usage:
    'usage [--by key|route|target|adapter|shadow] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [-o table|json]',
  flags: {
    by: {
      type: 'string',
      value: 'DIM',
      description:
        'key (default), route, target, adapter (requests for LoRA adapters) or shadow (shadow and judge calls per Route).',
    },
    from: { type: 'string', value: 'DATE', description: 'First day (default: --to).' },
    to: { type: 'string', value: 'DATE', description: 'Last day (default: today, UTC).' },
    output: { type: 'string', short: 'o', value: 'FORMAT', description: 'table or json.' },
  },
  async run({ io, flags }) {
    const format = outputFormat(flags.output, ['table', 'json'] as const, 'usage');
    const q = new URLSearchParams();
    for (const f of ['by', 'from', 'to'] as const) {
      const v = flags[f];
      if (typeof v === 'string') {
        if (f !== 'by' && !/^\d{4}-\d{2}-\d{2}$/.test(v))
          throw new UsageError(`--${f} must be a date YYYY-MM-DD`, 'usage');
        q.set(f, v);
      }
    }
    try {
      const api = await createApiClient(io.env);
      const r = await api.request<{
        by: string;
        rows: Row[];
        totals: { requests: number; costUSD: number };
      }>('GET', `/api/v1/usage${q.size ? `?${q.toString()}` : ''}`);
      if (format === 'json') {
        io.stdout.write(JSON.stringify(r, null, 2) + '\n');
        return EXIT_OK;
      }
      io.stdout.write(
        renderTable(
          [
            'DAY',
            r.by.toUpperCase(),
            ...(r.by === 'target' ? ['KIND'] : []),
            'REQUESTS',
            'INPUT',
            'OUTPUT',
            'COST',
            'OVERFLOW',
          ],
          r.rows.map((x) => [
            x.day,
            x.keyName ? `${x.keyName} (${x.name})` : x.name,
            ...(r.by === 'target' ? [x.kind ?? ''] : []),
            x.requests,
            x.inputTokens,
            x.outputTokens,
            `$${x.costUSD.toFixed(4)}`,
            x.overflow,
          ]),
        ),
      );
      io.stdout.write(`total: ${r.totals.requests} requests, $${r.totals.costUSD.toFixed(4)}\n`);
      return EXIT_OK;
    } catch (err) {
      return reportApiError(io, err);
    }
  },
};
