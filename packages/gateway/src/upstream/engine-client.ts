import type { EventEmitter } from 'node:events';
import { EngineConn, OriginPool, type ConnUser } from './engine-pool.js';
import { ResponseParser, type ResponseSink } from './response-parser.js';
import { addToSlots, removeFromSlots, type Slotted } from '../collections/slot-list.js';

export interface EngineClientOptions {
  /** Keep-alive sockets per engine endpoint (default 512). */
  connections?: number;
  /** Milliseconds to wait for response headers and between body chunks (default 10 min). */
  timeoutMs?: number;
  /** Milliseconds to wait for a TCP connection (default 2 s): a dead pod fails fast. */
  connectTimeoutMs?: number;
  /**
   * Milliseconds an idle connection is kept (default 4 s: under uvicorn's 5 s, vLLM's server,
   * so the engine rarely closes one as it is reused). An engine's `keep-alive: timeout=N`
   * shortens it to N less one second.
   */
  keepAliveMs?: number;
  /**
   * Milliseconds after a request's write within which a reused connection's close is taken for
   * the keep-alive race and the request retried once (default 50; later, the engine may have
   * started the work, and the request fails rather than run twice).
   */
  raceMs?: number;
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
  /** Gives up the rest of the body (a reader that stops early): its connection is closed. */
  cancel(): void;
}

/** Cancels a request: an AbortSignal, or an EventEmitter with `aborted` and an 'abort' event. */
export type CancelSignal = AbortSignal | (EventEmitter & { readonly aborted: boolean });

/**
 * HTTP/1.1 keep-alive client for self-hosted engine endpoints (vLLM, TGI's OpenAI API): a
 * connection pool per endpoint and a parser of its own (ADR 0040).
 */
export interface EngineClient {
  /** `extra`: more request headers (a W3C traceparent when tracing). */
  post(
    baseUrl: string,
    path: string,
    body: string,
    signal: CancelSignal,
    extra?: Record<string, string>,
  ): Promise<EngineResponse>;
  /** Endpoints the client keeps a pool for: one is forgotten a tick after its last connection closed. */
  endpoints(): number;
  close(): Promise<void>;
}

export function createEngineClient(options: EngineClientOptions = {}): EngineClient {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const keepAliveMs = options.keepAliveMs ?? 4_000;
  // One clock for every timeout: a sweep each tick, no timer per request or connection.
  const tickMs = Math.min(1_000, Math.max(10, Math.floor(Math.min(timeoutMs, keepAliveMs) / 4)));
  const clock: Clock = {
    tick: 0,
    timeoutTicks: Math.ceil(timeoutMs / tickMs),
    timeoutMs,
    raceMs: options.raceMs ?? 50,
    active: [],
  };
  const poolOptions = {
    max: options.connections ?? 512,
    connectTimeoutMs: options.connectTimeoutMs ?? 2_000,
    keepAliveTicks: Math.max(1, Math.floor(keepAliveMs / tickMs)),
    tickMs,
  };
  // By the base URL as callers spell it (no parse per request); one pool per host and port.
  const origins = new Map<string, Origin>();
  const pools = new Map<string, OriginPool>();
  const timer = setInterval(() => {
    const tick = ++clock.tick;
    for (const [key, pool] of pools) {
      pool.sweep(tick);
      if (pool.unused) pools.delete(key); // an endpoint gone (a pod's IP): nothing to keep
    }
    for (const [url, o] of origins) if (pools.get(o.poolKey) !== o.pool) origins.delete(url);
    // Backwards: a call that times out leaves its slot to the last one, already checked.
    for (let i = clock.active.length - 1; i >= 0; i--) clock.active[i]!.checkTimeout(tick);
  }, tickMs);
  timer.unref();
  let closed = false;
  let lastPath = '';
  return {
    post(baseUrl, path, body, signal, extra) {
      return new Promise((resolve, reject) => {
        if (closed) return reject(new Error('the engine client is closed'));
        let origin = origins.get(baseUrl);
        if (origin === undefined) {
          const parsed = originOf(baseUrl, pools, poolOptions);
          if (parsed instanceof Error) return reject(parsed);
          origins.set(baseUrl, (origin = parsed));
        }
        if (path !== lastPath) {
          if (!PATH.test(path))
            return reject(new TypeError(`engine request path "${path}" is not valid`));
          lastPath = path;
        }
        const request = requestText(origin.hostHeader, path, body, extra);
        if (request instanceof Error) return reject(request);
        new EngineCall(clock, origin.pool, request, signal, resolve, reject).start();
      });
    },
    endpoints() {
      return pools.size;
    },
    close() {
      closed = true;
      clearInterval(timer);
      for (const pool of pools.values()) pool.close();
      for (const c of [...clock.active]) c.abandon(new Error('the engine client is closed'));
      return Promise.resolve();
    },
  };
}

/**
 * The client's clock (ticks of the sweep) and the requests it times, in a slot list (not a
 * Set, which promoted every request: 0.7 MB per scavenge and 4.5 ms pauses at 7,000 req/s).
 */
interface Clock {
  tick: number;
  timeoutTicks: number;
  timeoutMs: number;
  raceMs: number;
  active: EngineCall[];
}

interface Origin {
  pool: OriginPool;
  poolKey: string;
  hostHeader: string;
}

function originOf(
  baseUrl: string,
  pools: Map<string, OriginPool>,
  options: OriginPool['options'],
): Origin | Error {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    return new TypeError(`engine endpoint URL "${baseUrl}" is not a URL`);
  }
  const tls = u.protocol === 'https:';
  if ((!tls && u.protocol !== 'http:') || (u.pathname !== '/' && u.pathname !== '') || u.search)
    return new TypeError(`engine endpoint URL "${baseUrl}" must be http(s)://host[:port]`);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const port = u.port ? Number(u.port) : tls ? 443 : 80;
  const poolKey = `${u.protocol}//${u.host}`;
  let pool = pools.get(poolKey);
  if (pool === undefined) pools.set(poolKey, (pool = new OriginPool(host, port, tls, options)));
  return { pool, poolKey, hostHeader: u.host };
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers the client writes itself (or that would change the request's framing). */
const OWN_HEADERS = new Set([
  'host',
  'content-type',
  'content-length',
  'transfer-encoding',
  'connection',
]);
const PATH = /^\/[\x21-\x7e]*$/;

/** The request's bytes as one string: head and body in one write (`path` checked by the caller). */
function requestText(
  host: string,
  path: string,
  body: string,
  extra: Record<string, string> | undefined,
): string | Error {
  let head = `POST ${path} HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`;
  if (extra)
    for (const k of Object.keys(extra)) {
      const v = extra[k]!;
      if (!TOKEN.test(k) || !FIELD_VALUE.test(v) || OWN_HEADERS.has(k.toLowerCase()))
        return new TypeError(`engine request header "${k}" is not valid`);
      head += `${k}: ${v}\r\n`;
    }
  return `${head}\r\n${body}`;
}

/** Body bytes held before the socket is paused (the reader is slower than the engine). */
const HIGH_WATER_BYTES = 64 * 1024;

/**
 * One request: it writes itself on the connection the pool gives it, feeds the connection's
 * bytes to its parser, and is the answer the sender reads. The body is no stream, only a queue
 * of the chunks read that the reader drains (`chunks`) or joins (`bytes`); past
 * HIGH_WATER_BYTES the socket is paused until the reader catches up. A reused connection the
 * engine closed before a byte of the answer came is retried once on a new one: the engine had
 * closed it idle (keep-alive race), not failed the request.
 */
class EngineCall implements ConnUser, ResponseSink, EngineResponse, Slotted {
  status = 0;
  private conn: EngineConn | undefined;
  private readonly parser = new ResponseParser(this);
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private paused = false;
  private done = false;
  private failed: Error | undefined;
  private reusable = false;
  private keepAliveMs: number | undefined;
  private answered = false;
  private retried = false;
  private writtenAt = 0;
  /** Why we closed the connection ourselves (cancel, timeout, client closed): no retry then. */
  private abandoned: Error | undefined;
  private lastTick: number;
  /** Its index in the clock's `active` (-1: not timed). */
  slot = -1;
  private wake: (() => void) | undefined;
  /** A `bytes()` reader: settled once, at the end of the body (no wake per chunk). */
  private whole: ((err?: Error) => void) | undefined;
  /** The `bytes()` answer: asked twice, the same body. */
  private wholeBody: Promise<Buffer> | undefined;
  private readonly onCancel = (): void => this.abandon(abortError());

  constructor(
    private readonly clock: Clock,
    private readonly pool: OriginPool,
    private readonly request: string,
    private readonly signal: CancelSignal,
    private readonly started: (r: EngineResponse) => void,
    private readonly refused: (err: Error) => void,
  ) {
    this.lastTick = clock.tick;
  }

  start(): void {
    if (this.signal.aborted) return this.refused(abortError());
    if ('addEventListener' in this.signal)
      this.signal.addEventListener('abort', this.onCancel, { once: true });
    else this.signal.once('abort', this.onCancel);
    addToSlots(this.clock.active, this);
    this.pool.acquire(this);
  }

  attached(conn: EngineConn): void {
    this.conn = conn;
    this.writtenAt = performance.now();
    conn.write(this.request);
  }

  data(chunk: Buffer): void {
    this.answered = true;
    this.lastTick = this.clock.tick;
    const conn = this.conn!;
    try {
      this.parser.feed(chunk);
    } catch (err) {
      return conn.destroy(err as Error);
    }
    if (this.parser.done) {
      this.conn = undefined;
      // Answered before our request was all sent (an early 413, say): the rest would follow
      // the answer and be read as the next request. The connection goes with this request.
      if (conn.socket.writableLength > 0) this.reusable = false;
      // Paused for this answer's slow reader: the next request on it must be read.
      if (this.paused) {
        this.paused = false;
        conn.socket.resume();
      }
      this.pool.release(conn, this.reusable, this.keepAliveMs, this.clock.tick);
    }
  }

  ended(): void {
    const conn = this.conn!;
    try {
      this.parser.eof();
    } catch (err) {
      return conn.destroy(err as Error);
    }
    this.conn = undefined;
    this.pool.release(conn, false, undefined, this.clock.tick);
  }

  closed(err: Error | undefined): void {
    const conn = this.conn;
    this.conn = undefined;
    if (this.done || this.failed) return;
    if (this.abandoned) return this.fail(this.abandoned);
    if (
      !this.answered &&
      !this.retried &&
      conn !== undefined &&
      conn.served > 0 &&
      performance.now() - this.writtenAt < this.clock.raceMs
    ) {
      this.retried = true;
      return this.pool.acquireFresh(this);
    }
    this.fail(err ?? new Error('the engine closed the connection before its answer ended'));
  }

  head(status: number, reusable: boolean, keepAliveMs: number | undefined): void {
    this.status = status;
    this.reusable = reusable;
    this.keepAliveMs = keepAliveMs;
    this.started(this);
  }

  body(chunk: Buffer): void {
    this.queue.push(chunk);
    this.queued += chunk.length;
    if (this.whole) return; // read whole: it keeps every byte anyway
    this.wakeReader();
    if (this.queued >= HIGH_WATER_BYTES && !this.paused && this.conn) {
      this.paused = true;
      this.conn.socket.pause();
    }
  }

  end(): void {
    this.done = true;
    this.release();
    this.whole?.();
    this.wakeReader();
  }

  /** Ends the request now (cancelled, or the client closed): its connection is closed. */
  abandon(err: Error): void {
    if (this.done || this.failed || this.abandoned) return;
    this.abandoned = err;
    if (this.pool.leave(this)) this.fail(err);
    else if (this.conn) this.conn.destroy(err);
    else this.fail(err);
  }

  cancel(): void {
    this.abandon(abortError());
  }

  checkTimeout(tick: number): void {
    if (this.paused)
      this.lastTick = tick; // the reader's delay, not the engine's
    else if (tick - this.lastTick > this.clock.timeoutTicks)
      this.abandon(
        Object.assign(new Error(`the engine sent nothing for ${this.clock.timeoutMs} ms`), {
          code: 'ENGINE_TIMEOUT',
        }),
      );
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  /** One wait for the whole body (not one per chunk): a non-streamed answer's path. */
  bytes(): Promise<Buffer> {
    return (this.wholeBody ??= this.readWhole());
  }

  private readWhole(): Promise<Buffer> {
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
      else this.unpause();
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
    this.queued -= value.length;
    if (this.queued < HIGH_WATER_BYTES) this.unpause();
    return { done: false, value };
  }

  private unpause(): void {
    if (!this.paused) return;
    this.paused = false;
    this.lastTick = this.clock.tick;
    this.conn?.socket.resume();
  }

  private fail(err: Error): void {
    this.failed = err;
    this.release();
    if (this.status === 0) this.refused(err);
    else if (this.whole) this.whole(err);
    else this.wakeReader();
  }

  private wakeReader(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** The request is over: its cancel listener and its place on the clock go. */
  private release(): void {
    removeFromSlots(this.clock.active, this);
    if ('removeEventListener' in this.signal)
      this.signal.removeEventListener('abort', this.onCancel);
    else this.signal.removeListener('abort', this.onCancel);
  }
}

function abortError(): Error {
  return Object.assign(new Error('the request was aborted'), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}
