import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  socketErrors: number;
}

/** wrk (microsecond latency histogram) against POST url with a JSON body. */
export async function runWrk(opts: {
  url: string;
  body: string;
  connections: number;
  seconds: number;
  dir: string;
  /** Pause each connection this long between requests (paced load: ~connections/delay req/s). */
  delayMs?: number;
  /** Extra request headers (an API key). */
  headers?: Record<string, string>;
}): Promise<WrkResult> {
  const script = join(
    opts.dir,
    `post-${opts.connections}-${opts.body.length}-${opts.delayMs ?? 0}-${Object.keys(opts.headers ?? {}).length}.lua`,
  );
  await writeFile(
    script,
    `wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
${Object.entries(opts.headers ?? {})
  .map(([k, v]) => `wrk.headers["${k}"] = "${v}"\n`)
  .join('')}wrk.body = [==[${opts.body}]==]
${opts.delayMs ? `delay = function() return ${opts.delayMs} end\n` : ''}done = function(s, latency, requests)
  local e = s.errors
  io.write(string.format('WRKJSON {"requests":%d,"duration":%d,"p50":%d,"p99":%d,"non2xx":%d,"socket":%d}\\n',
    s.requests, s.duration, latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
`,
  );
  const threads = Math.min(2, opts.connections);
  const { stdout } = await run(
    'wrk',
    [
      '-t',
      String(threads),
      '-c',
      String(opts.connections),
      '-d',
      `${opts.seconds}s`,
      '-s',
      script,
      opts.url,
    ],
    {
      maxBuffer: 1 << 20,
    },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('WRKJSON '));
  if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
  const j = JSON.parse(line.slice(8)) as {
    requests: number;
    duration: number;
    p50: number;
    p99: number;
    non2xx: number;
    socket: number;
  };
  return {
    rps: j.requests / (j.duration / 1e6),
    p50Ms: j.p50 / 1000,
    p99Ms: j.p99 / 1000,
    requests: j.requests,
    non2xx: j.non2xx,
    socketErrors: j.socket,
  };
}
