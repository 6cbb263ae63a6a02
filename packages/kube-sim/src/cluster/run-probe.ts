// Executes one probe attempt as the kubelet does: httpGet (2xx/3xx succeed), tcpSocket
// (connect succeeds); exec and grpc probes cannot run in a simulated container and succeed.
// Failure messages follow the kubelet's wording, for the Unhealthy events.
import { request } from 'node:http';
import { connect } from 'node:net';
import type { Container, Probe } from './kube-types.js';

export interface ProbeOutcome {
  ok: boolean;
  message?: string;
}

export function resolvePort(port: number | string, container: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

export function runProbe(
  probe: Probe,
  container: Container,
  podIP: string,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  if (probe.httpGet) {
    const port = resolvePort(probe.httpGet.port, container);
    if (port === undefined)
      return Promise.resolve({ ok: false, message: `unknown port: ${String(probe.httpGet.port)}` });
    const host = probe.httpGet.host ?? podIP;
    const path = probe.httpGet.path ?? '/';
    const url = `http://${host}:${port}${path.startsWith('/') ? path : `/${path}`}`;
    return new Promise((resolve) => {
      const headers: Record<string, string> = { 'user-agent': 'kube-probe/1.32', accept: '*/*' };
      for (const h of probe.httpGet?.httpHeaders ?? []) headers[h.name.toLowerCase()] = h.value;
      const req = request(
        url,
        { method: 'GET', headers, agent: false, timeout: timeoutMs },
        (res) => {
          res.resume();
          const code = res.statusCode ?? 0;
          resolve(
            code >= 200 && code < 400
              ? { ok: true }
              : { ok: false, message: `HTTP probe failed with statuscode: ${code}` },
          );
        },
      );
      req.on('timeout', () => {
        req.destroy();
        resolve({
          ok: false,
          message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        resolve({ ok: false, message: `Get "${url}": ${dialError(err, host, port)}` });
      });
      req.end();
    });
  }
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port, container);
    if (port === undefined)
      return Promise.resolve({
        ok: false,
        message: `unknown port: ${String(probe.tcpSocket.port)}`,
      });
    const host = probe.tcpSocket.host ?? podIP;
    return new Promise((resolve) => {
      const socket = connect({ host, port, timeout: timeoutMs });
      socket.once('connect', () => {
        socket.destroy();
        resolve({ ok: true });
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` });
      });
      socket.once('error', (err: NodeJS.ErrnoException) =>
        resolve({ ok: false, message: dialError(err, host, port) }),
      );
    });
  }
  return Promise.resolve({ ok: true });
}

function dialError(err: NodeJS.ErrnoException, host: string, port: number): string {
  if (err.code === 'ECONNREFUSED') return `dial tcp ${host}:${port}: connect: connection refused`;
  if (err.code === 'ECONNRESET') return 'read: connection reset by peer';
  return `dial tcp ${host}:${port}: ${err.message}`;
}
