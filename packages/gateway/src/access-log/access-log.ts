import type { UsageRecord } from '../metering/usage-record.js';

export interface AccessLogOptions {
  /** Where whole lines go (e.g. process.stdout); called with one or more lines at a time. */
  write: (text: string) => void;
  /** Share of successful (< 400) requests logged, 0..1 (default 1). Errors are always logged. */
  sample?: number;
  /** Include the prompt text (default false: never, unless explicitly enabled). */
  prompts?: boolean;
  /** Buffered bytes that trigger a write before the next turn of the event loop (default 64 KiB). */
  flushBytes?: number;
  random?: () => number;
}

export interface AccessLog {
  /** Whether lines carry the prompt text (the gateway only extracts it then). */
  readonly prompts: boolean;
  /** Adds the line of one answered request (built once, written after this turn). */
  record(r: UsageRecord, prompt?: string): void;
  /** Writes what is buffered now. */
  flush(): void;
}

/**
 * The gateway's access log: one JSON line per request (docs/operations.md#access-log), shaped as
 * the process's pino lines (`level`, `time`, `service`, `msg: "access"`) so one log pipeline reads
 * both. It holds the key id, never the key; the prompt only when `prompts` is set.
 */
export function createAccessLog(options: AccessLogOptions): AccessLog {
  const sample = options.sample ?? 1;
  const prompts = options.prompts === true;
  const flushBytes = options.flushBytes ?? 64 * 1024;
  const random = options.random ?? Math.random;
  let buffer = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (buffer === '') return;
    const text = buffer;
    buffer = '';
    options.write(text);
  };
  return {
    prompts,
    record(r, prompt) {
      if (r.status < 400 && sample < 1 && !(random() < sample)) return;
      buffer += accessLine(r, prompts ? prompt : undefined);
      if (buffer.length >= flushBytes) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

/** One request as a JSON line. Fields absent from the record are left out. */
export function accessLine(r: UsageRecord, prompt?: string): string {
  const line: Record<string, unknown> = {
    level: 30,
    time: Date.now(),
    service: 'bascule',
    msg: 'access',
    requestId: r.requestId ?? '',
    endpoint: r.endpoint ?? '',
    keyId: r.key,
    tenant: r.tenant ?? '',
    route: r.route,
    target: r.target,
    targetKind: r.targetKind,
    reason: r.reason,
    status: r.status,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
    costUSD: r.costUSD,
    latencyMs: round(r.latencyMs),
    overheadMs: round(r.overheadMs),
  };
  if (r.ttftMs !== undefined) line.ttftMs = round(r.ttftMs);
  if (r.refused) line.refused = true;
  if (r.cancelled) line.cancelled = true;
  if (r.shadowOf !== undefined) line.shadowOf = r.shadowOf;
  if (r.privacy) line.privacy = { classes: r.privacy.classes, action: r.privacy.action };
  if (prompt !== undefined) line.prompt = prompt;
  return `${JSON.stringify(line)}\n`;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
