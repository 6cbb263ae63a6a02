/**
 * Keep-alive connections to one engine endpoint (an origin), for the engine client (ADR 0040).
 *
 * A request takes the connection used last (`idle` is a stack: its socket's buffers are the
 * warmest), else opens one while fewer than `max` are open, else waits in line for the next to
 * be released. A connection carries one request at a time. Idle, it belongs to no one: any byte
 * or end the engine sends then is unsolicited, and the connection is closed rather than let the
 * next request read it. Idle connections close after the keep-alive time (the engine's
 * `keep-alive: timeout=` less a second when it says one, else ours), judged by the client's
 * clock sweep, so no timer runs per connection or request.
 */
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/** The request a connection serves: it gets the connection's bytes and its end. */
export interface ConnUser {
  /** The connection is this request's (new or reused): write the request. */
  attached(conn: EngineConn): void;
  data(chunk: Buffer): void;
  /** The engine ended its side (FIN). */
  ended(): void;
  /** The connection closed: after `ended`, or on an error (connect, reset, timeout, cancel). */
  closed(err: Error | undefined): void;
}

export interface PoolOptions {
  max: number;
  connectTimeoutMs: number;
  /** Idle time after which a connection is closed, in the sweep's ticks. */
  keepAliveTicks: number;
  tickMs: number;
}

export class EngineConn {
  user: ConnUser | undefined;
  /** Requests this connection finished (a reused one may have been closed by the engine). */
  served = 0;
  idleSince = 0;
  keepAliveTicks: number;

  constructor(
    readonly socket: Socket,
    readonly pool: OriginPool,
  ) {
    this.keepAliveTicks = pool.options.keepAliveTicks;
    socket.on('data', (c: Buffer) => {
      if (this.user) this.user.data(c);
      else pool.drop(this); // unsolicited: no request asked for these bytes
    });
    socket.on('end', () => {
      if (this.user) this.user.ended();
      else pool.drop(this);
    });
    socket.on('error', () => undefined); // the error comes with 'close'
    socket.on('close', () => {
      const u = this.user;
      this.user = undefined;
      pool.closed(this);
      u?.closed(socketError(socket));
    });
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** Ends the connection for good; its request (if any) gets `err`. */
  destroy(err?: Error): void {
    this.socket.destroy(err);
  }
}

/** The error a socket closed with (undefined: a clean end). */
function socketError(socket: Socket): Error | undefined {
  return (socket as Socket & { errored?: Error | null }).errored ?? undefined;
}

export class OriginPool {
  private readonly idle: EngineConn[] = [];
  private readonly waiting: ConnUser[] = [];
  private open = 0;
  private closing = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly tls: boolean,
    readonly options: PoolOptions,
  ) {}

  acquire(user: ConnUser): void {
    if (this.closing) {
      user.closed(new Error('the engine client is closed'));
      return;
    }
    const c = this.idle.pop();
    if (c) this.attach(c, user);
    else if (this.open < this.options.max) this.connect(user);
    else this.waiting.push(user);
  }

  /**
   * The retry of a request whose reused connection the engine had closed: a new connection,
   * or at `max` the first place in line (it then gets the next connection released, one that
   * has just answered, or the next opened).
   */
  acquireFresh(user: ConnUser): void {
    if (this.closing) user.closed(new Error('the engine client is closed'));
    else if (this.open < this.options.max) this.connect(user);
    else this.waiting.unshift(user);
  }

  /** Leaves the line (a request cancelled before it got a connection). */
  leave(user: ConnUser): boolean {
    const i = this.waiting.indexOf(user);
    if (i >= 0) this.waiting.splice(i, 1);
    return i >= 0;
  }

  /** The request on `conn` is over; `reusable`: its answer was whole and keeps the connection. */
  release(conn: EngineConn, reusable: boolean, keepAliveMs: number | undefined, tick: number) {
    conn.user = undefined;
    conn.served++;
    if (!reusable || this.closing) return conn.destroy();
    if (keepAliveMs !== undefined)
      conn.keepAliveTicks = Math.min(
        this.options.keepAliveTicks,
        Math.floor((keepAliveMs - 1000) / this.options.tickMs),
      );
    if (conn.keepAliveTicks <= 0) return conn.destroy();
    const next = this.waiting.shift();
    if (next) return this.attach(conn, next);
    conn.idleSince = tick;
    this.idle.push(conn);
  }

  /** Closes the connections idle for longer than their keep-alive time. */
  sweep(tick: number): void {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const c = this.idle[i]!;
      if (tick - c.idleSince >= c.keepAliveTicks) this.drop(c);
    }
  }

  /** Closes an idle connection, out of the stack at once (its 'close' comes a tick later). */
  drop(conn: EngineConn): void {
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    conn.destroy();
  }

  /** Closes every connection; the requests on them and in line fail. */
  close(): void {
    this.closing = true;
    for (const u of this.waiting.splice(0)) u.closed(new Error('the engine client is closed'));
    for (const c of [...this.idle]) this.drop(c);
  }

  /** No connection open and no request in line: the client may forget this endpoint. */
  get unused(): boolean {
    return this.open === 0 && this.waiting.length === 0;
  }

  /** Called by a connection when its socket has closed. */
  closed(conn: EngineConn): void {
    this.open--;
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    const next = !this.closing && this.open < this.options.max ? this.waiting.shift() : undefined;
    if (next) this.connect(next);
  }

  private attach(conn: EngineConn, user: ConnUser): void {
    conn.user = user;
    user.attached(conn);
  }

  private connect(user: ConnUser): void {
    this.open++;
    const { host, port } = this;
    const socket = this.tls
      ? connectTls({ host, port, servername: isIp(host) ? undefined : host })
      : connect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      const err = Object.assign(
        new Error(`no connection to ${host}:${port} within ${this.options.connectTimeoutMs} ms`),
        { code: 'ENGINE_CONNECT_TIMEOUT' },
      );
      socket.destroy(err);
    }, this.options.connectTimeoutMs);
    socket.once(this.tls ? 'secureConnect' : 'connect', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
    // Written at once: the socket holds the request until it is connected.
    this.attach(new EngineConn(socket, this), user);
  }
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
