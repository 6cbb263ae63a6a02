import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TraceError, type Trace, type TraceRequest } from './trace-request.js';

/** The shared traces folder: ../shared/data/traces/ next to the repository root. */
export function defaultTracesDir(): string {
  // This file is packages/replay/{src,dist}/load-trace-file.{ts,js}: the root is 3 up.
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  return resolve(root, '..', 'shared', 'data', 'traces');
}

/** Short names for the shared traces. */
export const TRACE_ALIASES: Readonly<Record<string, string>> = {
  azure: 'azure-llm-code-2023.csv',
  'azure-code': 'azure-llm-code-2023.csv',
  mooncake: 'mooncake-synthetic.jsonl',
};

/** Resolves a trace argument (alias, file name in the shared folder, or path) to a file. */
export function resolveTracePath(arg: string): string {
  const alias = TRACE_ALIASES[arg];
  const candidates = alias
    ? [join(defaultTracesDir(), alias)]
    : [resolve(arg), join(defaultTracesDir(), arg)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new TraceError(
      `--trace: no trace file at ${candidates.join(' or ')} (the shared traces live in ../shared/data/traces/ beside the repository; see its README)`,
    );
  }
  return found;
}

/** Loads an Azure LLM inference trace (CSV) or a Mooncake trace (JSONL) by its extension. */
export function loadTraceFile(path: string): Trace {
  const text = readFileSync(path, 'utf8');
  const name = basename(path).replace(/\.(csv|jsonl)$/, '');
  if (path.endsWith('.csv')) return { name, requests: parseAzureCsv(text, path) };
  if (path.endsWith('.jsonl')) return { name, requests: parseMooncakeJsonl(text, path) };
  throw new TraceError(`--trace: ${path}: expected a .csv (Azure) or .jsonl (Mooncake) trace`);
}

/** Azure trace: TIMESTAMP (wall clock), ContextTokens, GeneratedTokens. */
export function parseAzureCsv(text: string, file = 'trace.csv'): TraceRequest[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const col = (n: string) => {
    const i = header.indexOf(n);
    if (i < 0) throw new TraceError(`${file}:1: missing column ${n} (header: ${header.join(',')})`);
    return i;
  };
  const [ts, ctx, gen] = [col('TIMESTAMP'), col('ContextTokens'), col('GeneratedTokens')];
  const out: TraceRequest[] = [];
  let origin: number | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const f = line.split(',');
    const at = parseTimestamp(f[ts] ?? '');
    const prompt = Number(f[ctx]);
    const output = Number(f[gen]);
    if (at === undefined || !Number.isFinite(prompt) || !Number.isFinite(output)) {
      throw new TraceError(`${file}:${i + 1}: cannot read "${line.slice(0, 80)}"`);
    }
    origin ??= at;
    out.push({
      at: at - origin,
      promptTokens: Math.max(1, prompt),
      outputTokens: Math.max(1, output),
    });
  }
  return sortByTime(out);
}

/**
 * Mooncake trace: one JSON object a line with timestamp (ms), input_length, output_length and
 * optionally hash_ids (ids of the prompt's 512-token blocks, for prefix caching).
 */
export function parseMooncakeJsonl(text: string, file = 'trace.jsonl'): TraceRequest[] {
  const out: TraceRequest[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new TraceError(`${file}:${i + 1}: not JSON`);
    }
    const o = v as Record<string, unknown>;
    const [at, prompt, output] = [o.timestamp, o.input_length, o.output_length];
    if (typeof at !== 'number' || typeof prompt !== 'number' || typeof output !== 'number') {
      throw new TraceError(
        `${file}:${i + 1}: needs numbers timestamp, input_length, output_length`,
      );
    }
    const ids = o.hash_ids;
    if (ids !== undefined && !(Array.isArray(ids) && ids.every((x) => Number.isInteger(x)))) {
      throw new TraceError(`${file}:${i + 1}: hash_ids must be an array of integers`);
    }
    out.push({
      at,
      promptTokens: Math.max(1, prompt),
      outputTokens: Math.max(1, output),
      ...(ids !== undefined ? { hashIds: ids as number[] } : {}),
    });
  }
  let origin = out.length > 0 ? Infinity : 0;
  for (const r of out) origin = Math.min(origin, r.at);
  return sortByTime(out.map((r) => ({ ...r, at: r.at - origin })));
}

/** `2023-11-16 18:17:03.9799600` (UTC, up to 100 ns) to ms. */
function parseTimestamp(s: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(s.trim());
  if (!m) return undefined;
  const base = Date.parse(`${m[1]}T${m[2]}Z`);
  return Number.isFinite(base) ? base + (m[3] ? Number(m[3]) * 1000 : 0) : undefined;
}

function sortByTime(r: TraceRequest[]): TraceRequest[] {
  return r.sort((a, b) => a.at - b.at);
}
