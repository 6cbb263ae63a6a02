import type { ServerResponse } from 'node:http';
import type { ChatCompletionChunk } from '@bascule/providers';
import type { TokenCounts } from '../../proxy/extract-usage.js';
import { writeChunk } from '../../proxy/response-writer.js';
import { ChatChunkReader } from './answer.js';
import type { DialectSession, DialectStream } from './dialect.js';

/**
 * Writes a streamed chat answer to the client in its dialect: chat chunks in (objects from a
 * provider, or SSE text from a self-hosted engine via {@link DialectSseRelay}), the
 * dialect's events out, with backpressure; keeps the usage for metering.
 */
export class DialectSseWriter {
  private readonly reader = new ChatChunkReader();
  private readonly stream: DialectStream;
  usage: TokenCounts | undefined;

  constructor(
    private readonly res: ServerResponse,
    session: DialectSession,
  ) {
    this.stream = session.stream();
  }

  async chunk(c: ChatCompletionChunk): Promise<void> {
    let out = '';
    for (const e of this.reader.read(c)) {
      if (e.type === 'usage')
        this.usage = { promptTokens: e.usage.inputTokens, completionTokens: e.usage.outputTokens };
      out += this.stream.push(e);
    }
    if (out.length > 0) await writeChunk(this.res, out);
  }

  async end(): Promise<void> {
    await writeChunk(this.res, await this.stream.end());
    this.res.end();
  }

  fail(message: string): void {
    if (this.res.writableEnded || this.res.destroyed) return;
    this.res.end(this.stream.fail(message));
  }
}

/** An engine's chat SSE body (text, any chunking) into a {@link DialectSseWriter}. */
export class DialectSseRelay {
  private pending = '';

  constructor(readonly writer: DialectSseWriter) {}

  get usage(): TokenCounts | undefined {
    return this.writer.usage;
  }

  async push(chunk: Buffer | string): Promise<void> {
    const s = this.pending + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const events = s.split('\n\n');
    this.pending = events.pop() ?? '';
    for (const ev of events) await this.event(ev);
  }

  async end(): Promise<void> {
    if (this.pending.trim().length > 0) await this.event(this.pending);
    this.pending = '';
    await this.writer.end();
  }

  private async event(ev: string): Promise<void> {
    const data = ev
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
    if (data === '' || data === '[DONE]') return;
    const c = JSON.parse(data) as ChatCompletionChunk & { error?: { message?: string } };
    if (c.error) throw new Error(c.error.message ?? 'the engine reported an error');
    await this.writer.chunk(c);
  }
}
