import type { Command } from '../cli/command.js';
import { EXIT_OK } from '../cli/exit-codes.js';
import { UsageError } from '../cli/usage-error.js';
import { renderTable } from '../cli/table.js';
import { createApiClient, nsQuery, type ApiClient } from '../client/api-client.js';
import { reportApiError } from './report-api-error.js';

interface Status {
  name: string;
  replicas: { desired: number; ready: number };
  gpu: { type: string; perReplica: number } | null;
  load: { inFlight: number; requestsToday: number };
  overflowToday: number;
  overflowedAwayToday?: { total: number };
}

export const topCommand: Command = {
  name: 'top',
  summary: 'Models, replicas, GPUs and load, refreshing.',
  usage: 'top [--interval SECONDS] [--once] [-n NS]',
  description: 'Refreshes until interrupted (Ctrl-C); --once prints one screen.',
  flags: {
    interval: { type: 'string', value: 'SECONDS', description: 'Refresh period (default 2).' },
    once: { type: 'boolean', description: 'Print once and exit.' },
    namespace: { type: 'string', short: 'n', value: 'NS', description: 'Namespace.' },
  },
  async run({ io, flags }) {
    const interval = flags.interval === undefined ? 2 : Number(flags.interval);
    if (!Number.isFinite(interval) || interval < 0.5 || interval > 3600)
      throw new UsageError('--interval must be a number of seconds between 0.5 and 3600', 'top');
    try {
      const api = await createApiClient(io.env);
      const ns = (flags.namespace as string | undefined) ?? api.namespace;
      const tty = (io.stdout as { isTTY?: boolean }).isTTY === true;
      for (;;) {
        const screen = await render(api, ns);
        io.stdout.write((tty ? '\x1b[H\x1b[2J' : '') + screen);
        if (flags.once === true) return EXIT_OK;
        const stopped = await new Promise<boolean>((resolve) => {
          const onInt = () => {
            clearTimeout(t);
            resolve(true);
          };
          const t = setTimeout(() => {
            process.off('SIGINT', onInt);
            resolve(false);
          }, interval * 1000);
          process.once('SIGINT', onInt);
        });
        if (stopped) return EXIT_OK;
      }
    } catch (err) {
      return reportApiError(io, err);
    }
  },
};

async function render(api: ApiClient, ns: string | undefined): Promise<string> {
  const q = nsQuery(ns);
  const { items } = await api.request<{ items: { metadata: { name: string } }[] }>(
    'GET',
    `/api/v1/models${q}`,
  );
  const statuses = await Promise.all(
    items.map((m) =>
      api.request<Status>(
        'GET',
        `/api/v1/models/${encodeURIComponent(m.metadata.name)}/status${q}`,
      ),
    ),
  );
  const cap = await api.request<{
    gpus: { type: string; total: number; used: number; free: number; pending: number }[];
  }>('GET', `/api/v1/capacity${q}`);
  return (
    renderTable(
      ['MODEL', 'READY', 'DESIRED', 'GPUS', 'IN-FLIGHT', 'REQUESTS-TODAY', 'OVERFLOWED-AWAY-TODAY'],
      statuses.map((s) => [
        s.name,
        s.replicas.ready,
        s.replicas.desired,
        s.gpu ? `${s.gpu.perReplica * s.replicas.ready} x ${s.gpu.type}` : '-',
        s.load.inFlight,
        s.load.requestsToday,
        s.overflowedAwayToday?.total ?? 0,
      ]),
    ) +
    '\n' +
    renderTable(
      ['GPU', 'TOTAL', 'USED', 'FREE', 'PENDING'],
      cap.gpus.map((g) => [g.type, g.total, g.used, g.free, g.pending]),
    )
  );
}
