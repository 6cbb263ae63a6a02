import { stringify } from 'yaml';
import type { CliIo } from '../cli/cli-io.js';
import { EXIT_OK } from '../cli/exit-codes.js';
import { age, renderTable } from '../cli/table.js';
import { UsageError } from '../cli/usage-error.js';
import type { ApiClient } from '../client/api-client.js';

interface Job {
  id: string;
  status: string;
  model: string;
  priority: string;
  created_at: number;
  served_by: string | null;
}
interface Batch {
  id: string;
  status: string;
  endpoint: string;
  created_at: number;
  request_counts: { total: number; completed: number; failed: number };
}

/** `get jobs ID` (jobs are read by id) and `get batches [ID]`: the caller's tenant only. */
export async function getQueueObjects(
  io: CliIo,
  api: ApiClient,
  type: 'jobs' | 'batches',
  name: string | undefined,
  format: 'table' | 'wide' | 'yaml' | 'json',
): Promise<number> {
  if (type === 'jobs' && !name)
    throw new UsageError('jobs are read by id: bascule get jobs JOB_ID', 'get');
  const path =
    type === 'jobs'
      ? `/api/v1/jobs/${encodeURIComponent(name!)}`
      : `/v1/batches${name ? `/${encodeURIComponent(name)}` : ''}`;
  const data = await api.request<Job | Batch | { data: Batch[] }>('GET', path);
  const items = 'data' in data ? data.data : [data];
  if (format === 'json') io.stdout.write(JSON.stringify(data, null, 2) + '\n');
  else if (format === 'yaml') io.stdout.write(stringify(data));
  else if (items.length === 0) io.stderr.write('No resources found.\n');
  else if (type === 'jobs') {
    const j = items as Job[];
    io.stdout.write(
      renderTable(
        ['ID', 'STATUS', 'MODEL', 'PRIORITY', 'SERVED-BY', 'AGE'],
        j.map((x) => [
          x.id,
          x.status,
          x.model,
          x.priority,
          x.served_by ?? '-',
          age(new Date(x.created_at * 1000).toISOString()),
        ]),
      ),
    );
  } else {
    const b = items as Batch[];
    io.stdout.write(
      renderTable(
        ['ID', 'STATUS', 'ENDPOINT', 'COMPLETED', 'FAILED', 'TOTAL', 'AGE'],
        b.map((x) => [
          x.id,
          x.status,
          x.endpoint,
          x.request_counts.completed,
          x.request_counts.failed,
          x.request_counts.total,
          age(new Date(x.created_at * 1000).toISOString()),
        ]),
      ),
    );
  }
  return EXIT_OK;
}
