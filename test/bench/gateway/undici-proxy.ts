// A second baseline (gateway-overhead --undici-proxy): the same 30 lines on undici's dispatch
// API, the upstream client the gateway uses, instead of node:http's Agent. It buffers each
// answer (non-streaming only), so it shows the floor of a Node proxy built like the gateway.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type Dispatcher } from 'undici';

const upstream = process.argv[2] ?? 'http://127.0.0.1:8000';
const agent = new Agent({ connections: 512, pipelining: 1, keepAliveTimeout: 30_000 });
const headers = { 'content-type': 'application/json' };
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const parts: Buffer[] = [];
    let status = 502;
    const handler: Dispatcher.DispatchHandler = {
      onConnect: () => undefined,
      onHeaders: (s) => ((status = s), true),
      onData: (c) => (parts.push(c), true),
      onComplete: () => {
        const out = Buffer.concat(parts);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': out.length });
        res.end(out);
      },
      onError: () => res.destroy(),
    };
    agent.dispatch(
      {
        origin: upstream,
        path: req.url ?? '/',
        method: 'POST',
        headers,
        body: Buffer.concat(chunks),
      },
      handler,
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
