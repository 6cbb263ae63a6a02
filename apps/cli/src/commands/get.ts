import { stringify } from 'yaml';
import type { Command } from '../cli/command.js';
import { EXIT_OK } from '../cli/exit-codes.js';
import { outputFormat } from '../cli/output-format.js';
import { age, renderTable, str } from '../cli/table.js';
import { createApiClient, nsQuery } from '../client/api-client.js';
import { UsageError } from '../cli/usage-error.js';
import { getQueueObjects } from './get-queue.js';
import { reportApiError } from './report-api-error.js';
import { resourceType } from './resource-type.js';

interface Obj {
  kind?: string;
  metadata: { name: string; namespace?: string; creationTimestamp?: string };
  spec?: Record<string, unknown>;
  status?: {
    conditions?: { type: string; status: string; reason?: string }[];
    replicas?: { desired?: number; ready?: number };
    endpoints?: { ready?: boolean; adapters?: string[] }[];
  };
}

export const getCommand: Command = {
  name: 'get',
  summary: 'List Models, Routes, Providers or batches, or show one (jobs by id).',
  usage: 'get models|routes|providers|jobs|batches [NAME] [-o table|wide|yaml|json] [-n NS]',
  flags: {
    output: {
      type: 'string',
      short: 'o',
      value: 'FORMAT',
      description: 'table (default), wide, yaml or json.',
    },
    namespace: {
      type: 'string',
      short: 'n',
      value: 'NS',
      description: "Namespace (default: the context's or the server's).",
    },
  },
  maxArgs: 2,
  async run({ io, flags, args }) {
    const queueType =
      args[0] === 'jobs' || args[0] === 'job'
        ? 'jobs'
        : args[0] === 'batches' || args[0] === 'batch'
          ? 'batches'
          : undefined;
    const type = queueType ?? resourceType(args[0], 'get');
    const format = outputFormat(flags.output, ['table', 'wide', 'yaml', 'json'] as const, 'get');
    if (queueType === 'jobs' && !args[1])
      throw new UsageError('jobs are read by id: bascule get jobs JOB_ID', 'get');
    try {
      const api = await createApiClient(io.env);
      if (queueType) return await getQueueObjects(io, api, queueType, args[1], format);
      const q = nsQuery((flags.namespace as string | undefined) ?? api.namespace);
      const name = args[1];
      const items = name
        ? [await api.request<Obj>('GET', `/api/v1/${type}/${encodeURIComponent(name)}${q}`)]
        : (await api.request<{ items: Obj[] }>('GET', `/api/v1/${type}${q}`)).items;
      if (format === 'json')
        io.stdout.write(JSON.stringify(name ? items[0] : { items }, null, 2) + '\n');
      else if (format === 'yaml') io.stdout.write(stringify(name ? items[0] : { items }));
      else if (items.length === 0) io.stderr.write('No resources found.\n');
      else io.stdout.write(table(type, items, format === 'wide'));
      return EXIT_OK;
    } catch (err) {
      return reportApiError(io, err);
    }
  },
};

function cond(o: Obj, type: string): string {
  return o.status?.conditions?.find((c) => c.type === type)?.status ?? 'Unknown';
}

function reason(o: Obj, type: string): string {
  return o.status?.conditions?.find((c) => c.type === type)?.reason ?? '';
}

/**
 * A Model's LoRA adapters, each with the ready replicas that have it loaded out of the ready
 * replicas (`sql 2/2`); `-` when it declares none.
 */
function adapters(o: Obj): string {
  const declared = (o.spec?.loraAdapters as { name?: string }[] | undefined) ?? [];
  if (declared.length === 0) return '-';
  const ready = (
    (o.status as { endpoints?: { ready?: boolean; adapters?: string[] }[] })?.endpoints ?? []
  ).filter((e) => e.ready);
  return declared
    .map((a) => {
      const known = ready.filter((e) => e.adapters !== undefined);
      if (known.length === 0) return a.name ?? '?';
      const has = known.filter((e) => e.adapters!.includes(a.name ?? '')).length;
      return `${a.name ?? '?'} ${has}/${ready.length}`;
    })
    .join(', ');
}

export function table(type: string, items: Obj[], wide: boolean): string {
  if (type === 'models') {
    // The kubectl columns (the CRD's printer columns): READY and DESIRED replicas, STATUS the
    // Ready condition's reason. pnpm start's progress lines use the same words.
    const h = ['NAME', 'ENGINE', 'GPUS', 'READY', 'DESIRED', 'STATUS', 'ADAPTERS', 'AGE'];
    if (wide) h.push('SOURCE', 'CAPACITY');
    return renderTable(
      h,
      items.map((o) => {
        const row = [
          o.metadata.name,
          str(o.spec?.engine) || '',
          str(o.spec?.gpus) || '',
          String(o.status?.replicas?.ready ?? 0),
          String(o.status?.replicas?.desired ?? 0),
          reason(o, 'Ready') || '<none>',
          adapters(o),
          age(o.metadata.creationTimestamp),
        ];
        if (wide) row.push(str(o.spec?.source) || '', cond(o, 'CapacityAvailable'));
        return row;
      }),
    );
  }
  if (type === 'routes') {
    const h = ['NAME', 'STRATEGY', 'TARGETS', 'EXTERNAL', 'READY', 'AGE'];
    if (wide) h.push('REASON');
    return renderTable(
      h,
      items.map((o) => {
        const targets =
          (o.spec?.targets as { model?: string; provider?: string }[] | undefined) ?? [];
        const row = [
          o.metadata.name,
          str(o.spec?.strategy) || 'priority',
          wide
            ? targets
                .map((t) => (t.provider ? `${t.provider}/${t.model}` : (t.model ?? '?')))
                .join(',')
            : String(targets.length),
          // spec.allowExternal, default true (false keeps every request in the cluster).
          o.spec?.allowExternal === false ? 'no' : 'yes',
          cond(o, 'Ready'),
          age(o.metadata.creationTimestamp),
        ];
        if (wide) row.push(reason(o, 'Ready'));
        return row;
      }),
    );
  }
  const h = ['NAME', 'TYPE', 'MODELS', 'READY', 'AGE'];
  if (wide) h.push('REASON');
  return renderTable(
    h,
    items.map((o) => {
      const row = [
        o.metadata.name,
        str(o.spec?.type) || '',
        String((o.spec?.models as unknown[] | undefined)?.length ?? 0),
        cond(o, 'Ready'),
        age(o.metadata.creationTimestamp),
      ];
      if (wide) row.push(reason(o, 'Ready'));
      return row;
    }),
  );
}
