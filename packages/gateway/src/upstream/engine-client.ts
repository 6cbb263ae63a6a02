import type { EventEmitter } from 'node:events';
import { Agent, errors, type Dispatcher } from 'undici';

export interface EngineClientOptions {
  /** Keep-alive sockets per engine endpoint (default 512). */
  connections?: number;
  /** Milliseconds to wait for response headers and between body chunks (default 10 min). */
  timeoutMs?: number;
  /** Milliseconds to wait for a TCP connection (default 2 s): a dead pod fails fast. */
  connectTimeoutMs?: number;
}

/** An engine's answer: its status now, its body as it arrives. */
export interface EngineResponse {
  status: number;
  /** The whole body as text (an error's detail). */
  text(): Promise<string>;
  /** The whole body as bytes (a non-streamed answer: written on as it came, never decoded). */
  bytes(): Promise<Buffer>;
  /** The body chunk by chunk, with backpressure (a stream). */
  chunks(): AsyncIterator<Buffer>;
}

/** Cancels a request: an AbortSignal, or an EventEmitter with `aborted` and an 'abort' event. */
export type CancelSignal = AbortSignal | (EventEmitter & { readonly aborted: boolean });

/** HTTP/1.1 keep-alive client for self-hosted engine endpoints (vLLM, TGI's OpenAI API). */
export interface EngineClient {
  /** `extra`: more request headers (a W3C traceparent when tracing). */
  post(
    baseUrl: string,
    path: string,
    body: string,
    signal: CancelSignal,
    extra?: Record<string, string>,
  ): Promise<EngineResponse>;
  close(): Promise<void>;
}

export function createEngineClient(options: EngineClientOptions = {}): EngineClient {
  const timeout = options.timeoutMs ?? 600_000;
  const agent = new Agent({
    connections: options.connections ?? 512,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    connect: { timeout: options.connectTimeoutMs ?? 2_000 },
  });
  const headers = { 'content-type': 'application/json' };
  return {
    post(baseUrl, path, body, signal, extra) {
      return new Promise((resolve, reject) => {
        const call = new EngineCall(signal, resolve, reject);
        agent.dispatch(
          {
            origin: baseUrl,
            path,
            method: 'POST',
            headers: extra ? { ...extra, ...headers } : headers,
            body,
            headersTimeout: timeout,
            bodyTimeout: timeout,
          },
          call,
        );
      });
    },
    close: () => agent.close(),
  };
}

/** Body bytes held before the socket is paused (the reader is slower than the engine). */
const HIGH_WATER_BYTES = 64 * 1024;

/**
 * One request as an undici dispatch handler: the response's headers are never parsed (the
 * gateway reads none of them) and its body is no stream, only a queue of chunks that the
 * reader drains (`chunks`) or joins (`text`); past HIGH_WATER_BYTES the socket is paused until
 * the reader catches up. This is `agent.request` without its Readable body and header object.
 */
class EngineCall implements Dispatcher.DispatchHandler, EngineResponse {
  status = 0;
  private abort: ((err: Error) => void) | undefined;
  private resume: (() => void) | undefined;
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private done = false;
  private failed: Error | undefined;
  private wake: (() => void) | undefined;
  /** A `bytes()` reader: settled once, at the end of the body (no wake per chunk). */
  private whole: ((err?: Error) => void) | undefined;
  private readonly onCancel = (): void => this.abort?.(new errors.RequestAbortedError());

  constructor(
    private readonly signal: CancelSignal,
    private readonly started: (r: EngineResponse) => void,
    private readonly refused: (err: Error) => void,
  ) {}

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    if (this.signal.aborted) abort(new errors.RequestAbortedError());
    else if ('addEventListener' in this.signal)
      this.signal.addEventListener('abort', this.onCancel, { once: true });
    else this.signal.once('abort', this.onCancel);
  }

  onHeaders(status: number, _raw: Buffer[], resume: () => void): boolean {
    if (status < 200) return true; // 100 Continue, 103 Early Hints: the answer comes after
    this.status = status;
    this.resume = resume;
    this.started(this);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (this.whole) return true; // read whole: it keeps every byte anyway
    this.wakeReader();
    return this.queued < HIGH_WATER_BYTES;
  }

  onComplete(): void {
    this.done = true;
    this.release();
    this.whole?.();
    this.wakeReader();
  }

  onError(err: Error): void {
    this.failed = err;
    this.release();
    if (this.status === 0) this.refused(err);
    else if (this.whole) this.whole(err);
    else this.wakeReader();
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  /** One wait for the whole body (not one per chunk): a non-streamed answer's path. */
  bytes(): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.whole = (err) => {
        this.whole = undefined;
        if (err) return reject(err);
        const q = this.queue;
        resolve(q.length === 1 ? q[0]! : Buffer.concat(q));
        q.length = 0;
        this.queued = 0;
      };
      if (this.failed) this.whole(this.failed);
      else if (this.done) this.whole();
      else if (this.queued >= HIGH_WATER_BYTES) this.resume?.();
    });
  }

  chunks(): AsyncIterator<Buffer> {
    return { next: () => this.next() };
  }

  private async next(): Promise<IteratorResult<Buffer>> {
    while (this.queue.length === 0) {
      if (this.failed) throw this.failed;
      if (this.done) return { done: true, value: undefined };
      await new Promise<void>((r) => (this.wake = r));
    }
    const value = this.queue.shift()!;
    const wasFull = this.queued >= HIGH_WATER_BYTES;
    this.queued -= value.length;
    if (wasFull && this.queued < HIGH_WATER_BYTES && !this.done) this.resume?.();
    return { done: false, value };
  }

  private wakeReader(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /**
   * The request is over: its cancel listener goes, and so do undici's abort and resume (the
   * abort closure holds undici's request, its headers and body). An answer outlives its
   * request; held by it, they survived two scavenges into old space, about 170 B a request.
   */
  private release(): void {
    this.abort = undefined;
    this.resume = undefined;
    if ('removeEventListener' in this.signal)
      this.signal.removeEventListener('abort', this.onCancel);
    else this.signal.removeListener('abort', this.onCancel);
  }
}
