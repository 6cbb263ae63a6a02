import { api } from '../api.js';
import { plotCard } from '../charts.js';
import { el, pct, table } from '../dom.js';
import { etaSeconds, type BatchProgress } from './eta.js';

interface Batch extends BatchProgress {
  id: string;
  status: string;
  endpoint: string;
  created_at: number;
  in_progress_at?: number | null;
  completed_at?: number | null;
  completion_window: string;
  request_counts: { total: number; completed: number; failed: number };
  metadata?: Record<string, string> | null;
}

/** An async job as GET /api/v1/jobs lists it (the fields the page shows). */
interface Job {
  id: string;
  status: string;
  model: string;
  priority: string;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  deadline: number | null;
  served_by: string | null;
}

const dur = (s: number) =>
  s < 90 ? `${s} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;

/** The caller's batches (tenant-scoped by the Batch API itself): progress and ETA. */
export async function batches(root: HTMLElement): Promise<void> {
  const list = (await api<{ data: Batch[] }>('/v1/batches?limit=50')).data;
  const now = Date.now() / 1000;
  root.append(
    table(
      'Batches',
      ['Batch', 'Status', 'Progress', 'Failed', 'Created', 'ETA'],
      list.map((b) => {
        const c = b.request_counts;
        const eta = etaSeconds(b, now);
        return [
          b.id,
          b.status,
          `${c.completed}/${c.total} (${c.total ? pct(c.completed / c.total) : '0%'})`,
          String(c.failed),
          new Date(b.created_at * 1000).toLocaleString(),
          eta === undefined ? (b.status === 'completed' ? 'done' : '') : dur(eta),
        ];
      }),
    ),
  );
  root.append(await jobsTable(now));
  if (list.length === 0) return;
  // Progress of each batch as a bar (x: batch index).
  const shown = list.slice(0, 12).reverse();
  const grid = el('div', { class: 'grid' });
  root.append(grid);
  plotCard(
    grid,
    'Batch progress',
    shown.map((_, i) => i),
    [
      { label: 'completed', values: shown.map((b) => b.request_counts.completed) },
      { label: 'failed', values: shown.map((b) => b.request_counts.failed) },
      { label: 'total', values: shown.map((b) => b.request_counts.total) },
    ],
    { unit: 'lines, oldest to newest batch', time: false },
  );
}

/**
 * The caller's newest async jobs: where each stands, how long it waited for a slot and ran,
 * and its deadline (a queued job past it goes to the Route's closed target, if it has one).
 */
async function jobsTable(now: number): Promise<HTMLElement> {
  const jobs = (await api<{ data: Job[] }>('/api/v1/jobs?limit=50')).data;
  return table(
    'Jobs',
    ['Job', 'Route or Model', 'Status', 'Priority', 'Waited', 'Ran', 'Deadline', 'Served by'],
    jobs.map((j) => {
      const started = j.started_at ?? (j.status === 'queued' ? now : null);
      const waited = started === null ? '' : dur(Math.max(0, Math.round(started - j.created_at)));
      const ran =
        j.started_at === null
          ? ''
          : dur(Math.max(0, Math.round((j.completed_at ?? now) - j.started_at)));
      const due =
        j.deadline === null
          ? ''
          : j.completed_at === null
            ? `in ${dur(Math.max(0, Math.round(j.deadline - now)))}`
            : new Date(j.deadline * 1000).toLocaleString();
      return [j.id, j.model, j.status, j.priority, waited, ran, due, j.served_by ?? ''];
    }),
  );
}
