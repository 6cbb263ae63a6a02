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
