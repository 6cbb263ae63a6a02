/** Splits a byte stream into lines (without the newline), holding at most one line in memory. */
export async function* splitLines(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let buf = rest.length ? Buffer.concat([rest, b]) : b;
    let nl: number;
    while ((nl = buf.indexOf(10)) >= 0) {
      yield stripCr(buf.subarray(0, nl).toString('utf8'));
      buf = buf.subarray(nl + 1);
    }
    rest = Buffer.from(buf);
  }
  if (rest.length) yield stripCr(rest.toString('utf8'));
}

function stripCr(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}
