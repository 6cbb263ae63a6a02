import { Agent, request } from 'node:http';

export interface FixedRateResult {
  sent: number;
  ok: number;
  /** Full response time. */
  p50Ms: number;
  p99Ms: number;
  /** Time to the first body byte (the first SSE chunk when streaming). */
  ttftP50Ms: number;
  ttftP99Ms: number;
}

/**
 * An open-loop client: `rate` requests per second for `seconds`, on a keep-alive pool, with
 * process.hrtime (nanosecond) timestamps taken when each request is written. A 1 ms timer
 * releases the requests that are due (no busy loop stealing CPU from the server under test).
 * The first `warmupSeconds` run at the same rate and are not recorded: they open the pool's
 * connections (a long-lived client's are open already) and warm this client's own code.
 */
export async function runFixedRate(opts: {
  url: string;
  body: string;
  rate: number;
  seconds: number;
  warmupSeconds?: number;
  headers?: Record<string, string>;
}): Promise<FixedRateResult> {
  const url = new URL(opts.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const warmup = Math.round(opts.rate * (opts.warmupSeconds ?? 0));
  const total = warmup + Math.round(opts.rate * opts.seconds);
  const lat: number[] = [];
  const ttft: number[] = [];
  let ok = 0;
  let sent = 0;
  const start = process.hrtime.bigint();
  const interval = 1e9 / opts.rate;
  await new Promise<void>((resolve) => {
    let done = 0;
    const finish = (): void => {
      if (++done === total) resolve();
    };
    const fire = (): void => {
      const recorded = ++sent > warmup;
      const scheduled = process.hrtime.bigint();
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(opts.body),
            ...opts.headers,
          },
        },
        (res) => {
          let first = true;
          res.on('data', () => {
            if (first) {
              first = false;
              if (recorded) ttft.push(Number(process.hrtime.bigint() - scheduled) / 1e6);
            }
          });
          res.on('end', () => {
            if (recorded) {
              lat.push(Number(process.hrtime.bigint() - scheduled) / 1e6);
              if (res.statusCode === 200) ok++;
            }
            finish();
          });
        },
      );
      req.on('error', finish);
      req.end(opts.body);
    };
    const tick = (): void => {
      const now = process.hrtime.bigint();
      const due = Math.min(total, Math.floor(Number(now - start) / interval) + 1);
      while (sent < due) fire();
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  const pct = (a: number[], p: number) => {
    const s = [...a].sort((x, y) => x - y);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
  };
  return {
    sent: sent - warmup,
    ok,
    p50Ms: pct(lat, 50),
    p99Ms: pct(lat, 99),
    ttftP50Ms: pct(ttft, 50),
    ttftP99Ms: pct(ttft, 99),
  };
}
