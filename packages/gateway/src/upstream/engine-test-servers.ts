/** Engine servers for the engine client's tests: node:http and raw TCP, with what they saw. */
import {
  createServer,
  get,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { EventEmitter } from 'node:events';
import {
  createEngineClient,
  type CancelSignal,
  type EngineClient,
  type EngineClientOptions,
} from './engine-client.js';

export const never = Object.assign(new EventEmitter(), { aborted: false });
let server: Server | ReturnType<typeof createNetServer> | undefined;
/** What the engine server saw: its connections (opened, closed), and the POSTs' paths and sockets. */
export let seen = fresh();
function fresh() {
  return { conns: 0, closed: 0, maxOpen: 0, posts: [] as string[], postSockets: new Set<Socket>() };
}
const sockets = new Set<Socket>();

async function listen(s: NonNullable<typeof server>, host = '127.0.0.1'): Promise<string> {
  server = s;
  const mine = seen; // a socket of this test may close after the next one began
  s.on('connection', (sock: Socket) => {
    mine.conns++;
    mine.maxOpen = Math.max(mine.maxOpen, mine.conns - mine.closed);
    sockets.add(sock);
    sock.on('close', () => mine.closed++);
  });
  await new Promise<void>((r) => s.listen(0, host, r));
  const { port } = s.address() as AddressInfo;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

export function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  host?: string,
): Promise<string> {
  const mine = seen;
  return listen(
    createServer((req, res) => {
      if (req.method === 'POST') {
        mine.posts.push(req.url!);
        mine.postSockets.add(req.socket);
      }
      handler(req, res);
    }),
    host,
  );
}

/** A raw TCP engine: `onRequest(socket, n)` for each whole request, n counting from 1 per connection. */
export function rawServe(onRequest: (socket: Socket, n: number) => void): Promise<string> {
  return tcpServe((socket) => {
    let buf = '';
    let n = 0;
    socket.on('data', (c: Buffer) => {
      buf += c.toString('latin1');
      for (let end = buf.indexOf('\r\n\r\n'); end >= 0; end = buf.indexOf('\r\n\r\n')) {
        const length = Number(/content-length: (\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        buf = buf.slice(end + 4 + length);
        onRequest(socket, ++n);
      }
    });
  });
}

/** A TCP engine that does all its own reading and writing. */
export function tcpServe(onConnection: (socket: Socket) => void): Promise<string> {
  return listen(createNetServer(onConnection));
}

export const OK = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';

/** `p`, or a failure once `ms` have passed (a deadline, so a hang fails fast and says what). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not settled within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** A GET over a connection of its own, answered once the server has read all that came before. */
export function barrier(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    get(`${url}/barrier`, { agent: false }, (res) => res.resume().on('end', resolve)).on(
      'error',
      reject,
    );
  });
}

/** The two kinds of cancel signal, each with its `abort`. */
export const signals: [string, () => { signal: CancelSignal; abort: () => void }][] = [
  [
    'an EventEmitter signal',
    () => {
      const signal = Object.assign(new EventEmitter(), { aborted: false });
      return {
        signal,
        abort: () => {
          signal.aborted = true;
          signal.emit('abort');
        },
      };
    },
  ],
  [
    'an AbortSignal',
    () => {
      const c = new AbortController();
      return { signal: c.signal, abort: () => c.abort() };
    },
  ],
];

const engines: EngineClient[] = [];

/** An engine client closed by closeServers after the test. */
export function newEngine(options?: EngineClientOptions): EngineClient {
  const e = createEngineClient(options);
  engines.push(e);
  return e;
}

/**
 * After each test: the engine clients, the server and its sockets closed, and a fresh record
 * of what it sees.
 */
export async function closeServers(): Promise<void> {
  for (const e of engines.splice(0)) await e.close();
  for (const s of sockets) s.destroy();
  sockets.clear();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
  seen = fresh();
}
