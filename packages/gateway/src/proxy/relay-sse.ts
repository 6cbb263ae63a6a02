import type { ServerResponse } from 'node:http';
import { extractUsage, type TokenCounts } from './extract-usage.js';
import { writeChunk } from './response-writer.js';

/**
 * Relays an upstream SSE body event by event (never holding more than one partial event),
 * reading usage from the usage chunk, and dropping that chunk when only the gateway asked
 * for it (`dropUsageChunk`).
 */
export class SseRelay {
  private pending = '';
  usage: TokenCounts | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly dropUsageChunk: boolean,
  ) {}

  async push(chunk: Buffer | string): Promise<void> {
    const s = this.pending + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const end = s.lastIndexOf('\n\n');
    if (end < 0) {
      this.pending = s;
      return;
    }
    this.pending = s.slice(end + 2);
    let complete = s.slice(0, end + 2);
    const u = complete.includes('"usage"') ? this.scan(complete) : undefined;
    if (u !== undefined) complete = u;
    if (complete.length > 0) await writeChunk(this.res, complete);
  }

  /** Remaining partial event (an upstream that ends without a blank line). */
  async end(): Promise<void> {
    if (this.pending.length > 0) await writeChunk(this.res, this.pending);
    this.pending = '';
  }

  private scan(complete: string): string | undefined {
    const events = complete.split('\n\n');
    let changed = false;
    const kept: string[] = [];
    for (const ev of events) {
      if (ev.includes('"usage"')) {
        const u = extractUsage(ev);
        if (u) {
          this.usage = u;
          if (this.dropUsageChunk && /"choices"\s*:\s*\[\s*\]/.test(ev)) {
            changed = true;
            continue;
          }
        }
      }
      kept.push(ev);
    }
    return changed ? kept.join('\n\n') : undefined;
  }
}
