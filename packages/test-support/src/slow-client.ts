import { connect } from 'node:net';

export interface SlowClientOptions {
  port: number;
  host?: string;
  /** Written at once (a request's head, or part of it). */
  opening: string;
  /** Written every `dripEveryMs` after the opening, for `dripForMs` (default: until closed). */
  drip?: string;
  dripEveryMs?: number;
  dripForMs?: number;
  /** The client gives up (and closes) after this long. */
  deadlineMs: number;
}

export interface SlowClientOutcome {
  /** Milliseconds until the server closed the connection; undefined when the deadline came first. */
  closedAfterMs: number | undefined;
  /** All the server wrote, as latin1. */
  answer: string;
}

/** A raw TCP client that writes slowly (a slow-loris): how long the server keeps it, what it says. */
export function slowClient(o: SlowClientOptions): Promise<SlowClientOutcome> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const s = connect(o.port, o.host ?? '127.0.0.1');
    let answer = '';
    const dripForMs = o.dripForMs ?? Number.POSITIVE_INFINITY;
    const timer =
      o.drip === undefined
        ? undefined
        : setInterval(() => {
            if (performance.now() - t0 < dripForMs && !s.destroyed) s.write(o.drip!);
          }, o.dripEveryMs ?? 100);
    const deadline = setTimeout(() => finish(undefined), o.deadlineMs);
    const finish = (closedAfterMs: number | undefined): void => {
      clearInterval(timer);
      clearTimeout(deadline);
      s.destroy();
      resolve({ closedAfterMs, answer });
    };
    s.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    s.on('close', () => finish(performance.now() - t0));
    s.on('error', () => undefined);
    s.write(o.opening);
  });
}
