import type { ServerResponse } from 'node:http';
import { extractUsage, type TokenCounts } from './extract-usage.js';
import { writeChunk } from './response-writer.js';

const EVENT_END = Buffer.from('\n\n');
const USAGE = Buffer.from('"usage"');

/**
 * Relays an upstream SSE body event by event (never holding more than one partial event),
 * reading usage from the usage chunk, and dropping that chunk when only the gateway asked
 * for it (`dropUsageChunk`). Bytes pass as bytes: only a chunk that carries usage is decoded,
 * and a character split across two upstream chunks is never cut (events end at a blank line).
 */
export class SseRelay {
  private pending: Buffer | undefined;
  usage: TokenCounts | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly dropUsageChunk: boolean,
  ) {}

  async push(chunk: Buffer | string): Promise<void> {
    let b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.pending) {
      b = Buffer.concat([this.pending, b]);
      this.pending = undefined;
    }
    // Most chunks end an event: no search for it then.
    const n = b.length;
    const end = n >= 2 && b[n - 1] === 0x0a && b[n - 2] === 0x0a ? n - 2 : b.lastIndexOf(EVENT_END);
    if (end < 0) {
      this.pending = b;
      return;
    }
    if (end + 2 < b.length) this.pending = b.subarray(end + 2);
    let complete: Buffer | string = b.subarray(0, end + 2);
    if (complete.includes(USAGE)) complete = this.scan(complete.toString('utf8')) ?? complete;
    if (complete.length > 0) await writeChunk(this.res, complete);
  }

  /** Remaining partial event (an upstream that ends without a blank line). */
  async end(): Promise<void> {
    const rest = this.pending;
    this.pending = undefined;
    if (rest && rest.length > 0) await writeChunk(this.res, rest);
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
