import { describe, expect, it } from 'vitest';
import { MAX_HEAD_BYTES, ResponseParseError, ResponseParser } from './response-parser.js';

/** What the parser told its sink, and whether it says it is done. */
interface Parsed {
  heads: [status: number, keepAlive: boolean, keepAliveMs: number | undefined][];
  body: string;
  ends: number;
  done: boolean;
}

/** Feeds `pieces` to a parser with a recording sink, then (with `eof`) ends the connection. */
function parse(pieces: string[], eof = false): Parsed {
  const out: Parsed = { heads: [], body: '', ends: 0, done: false };
  const parser = new ResponseParser({
    head: (status, keepAlive, keepAliveMs) => void out.heads.push([status, keepAlive, keepAliveMs]),
    body: (chunk) => void (out.body += chunk.toString('latin1')),
    end: () => void out.ends++,
  });
  for (const p of pieces) parser.feed(Buffer.from(p, 'latin1'));
  if (eof) parser.eof();
  out.done = parser.done;
  return out;
}

/** The whole text, one byte at a time, and cut in two at every point. */
function splits(text: string): [string, string[]][] {
  const out: [string, string[]][] = [
    ['whole', [text]],
    ['byte by byte', [...text]],
  ];
  for (let i = 1; i < text.length; i++)
    out.push([`cut at ${i}`, [text.slice(0, i), text.slice(i)]]);
  return out;
}

const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;

interface Good {
  name: string;
  input: string;
  eof?: boolean;
  head: Parsed['heads'][number];
  body: string;
}

const good: Good[] = [
  {
    name: 'a content-length body',
    input:
      head(['HTTP/1.1 200 OK', 'Content-Type: text/plain', 'Content-Length: 11']) + 'hello world',
    head: [200, true, undefined],
    body: 'hello world',
  },
  {
    name: 'a chunked body with chunk extensions and trailers',
    input:
      head(['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked']) +
      '5;name=value\r\nhello\r\n6 ; a ; b="c"\r\n world\r\nB\r\n 0123456789\r\n' +
      '0;last\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n',
    head: [200, true, undefined],
    body: 'hello world 0123456789',
  },
  {
    name: 'content-length 0',
    input: head(['HTTP/1.1 200 OK', 'Content-Length: 0']),
    head: [200, true, undefined],
    body: '',
  },
  {
    name: '204 with no body',
    input: head(['HTTP/1.1 204 No Content', 'Date: Mon, 01 Jan 2024 00:00:00 GMT']),
    head: [204, true, undefined],
    body: '',
  },
  {
    name: '100 Continue, then the answer',
    input: head(['HTTP/1.1 100 Continue']) + head(['HTTP/1.1 200 OK', 'Content-Length: 2']) + 'ok',
    head: [200, true, undefined],
    body: 'ok',
  },
  {
    name: 'HTTP/1.0: not kept alive by default',
    input: head(['HTTP/1.0 200 OK', 'Content-Length: 2']) + 'ok',
    head: [200, false, undefined],
    body: 'ok',
  },
  {
    name: 'HTTP/1.0 with connection: keep-alive',
    input: head(['HTTP/1.0 200 OK', 'Connection: keep-alive', 'Content-Length: 2']) + 'ok',
    head: [200, true, undefined],
    body: 'ok',
  },
  {
    name: 'connection: close',
    input: head(['HTTP/1.1 200 OK', 'Connection: close', 'Content-Length: 2']) + 'ok',
    head: [200, false, undefined],
    body: 'ok',
  },
  {
    name: 'a body delimited by the close of the connection',
    input: head(['HTTP/1.1 200 OK', 'Content-Type: text/plain']) + 'up to the end',
    eof: true,
    head: [200, false, undefined],
    body: 'up to the end',
  },
  {
    name: 'both transfer-encoding chunked and content-length: chunked, not kept',
    input:
      head(['HTTP/1.1 200 OK', 'Content-Length: 100', 'Transfer-Encoding: chunked']) +
      '3\r\nabc\r\n0\r\n\r\n',
    head: [200, false, undefined],
    body: 'abc',
  },
  {
    name: 'keep-alive: timeout=5',
    input: head(['HTTP/1.1 200 OK', 'Keep-Alive: timeout=5, max=100', 'Content-Length: 2']) + 'ok',
    head: [200, true, 5000],
    body: 'ok',
  },
  {
    name: 'header names in mixed case',
    input:
      head(['HTTP/1.1 200 OK', 'cOnTeNt-LeNgTh: 3', 'CONNECTION: Close', 'kEEP-aLIVE: TIMEOUT=7']) +
      'abc',
    head: [200, false, 7000],
    body: 'abc',
  },
  {
    name: 'HTTP/1.0 with a transfer coding, even keep-alive: not kept (RFC 9112 6.1)',
    input:
      head(['HTTP/1.0 200 OK', 'Connection: keep-alive', 'Transfer-Encoding: chunked']) +
      '2\r\nok\r\n0\r\n\r\n',
    head: [200, false, undefined],
    body: 'ok',
  },
  {
    name: 'transfer-encoding in mixed case',
    input: head(['HTTP/1.1 200 OK', 'TRANSFER-ENCODING: Chunked']) + '2\r\nok\r\n0\r\n\r\n',
    head: [200, true, undefined],
    body: 'ok',
  },
];

describe('ResponseParser: whole answers, however the bytes are cut', () => {
  for (const c of good)
    it(c.name, () => {
      for (const [how, pieces] of splits(c.input)) {
        const r = parse(pieces, c.eof);
        expect(r, how).toEqual({ heads: [c.head], body: c.body, ends: 1, done: true });
      }
    });

  it('a body delimited by the close does not end before eof()', () => {
    const r = parse([head(['HTTP/1.1 200 OK']), 'some', ' body']);
    expect(r).toEqual({
      heads: [[200, false, undefined]],
      body: 'some body',
      ends: 0,
      done: false,
    });
  });

  it('a content-length body is not ended before its last byte', () => {
    const r = parse([head(['HTTP/1.1 200 OK', 'Content-Length: 5']), 'hell']);
    expect(r).toEqual({ heads: [[200, true, undefined]], body: 'hell', ends: 0, done: false });
  });
});

interface Bad {
  name: string;
  input: string;
  eof?: boolean;
  message: RegExp;
}

const ok2 = head(['HTTP/1.1 200 OK', 'Content-Length: 2']) + 'ok';
const chunked = head(['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked']);

const bad: Bad[] = [
  { name: 'a status line of HTTP/2', input: head(['HTTP/2 200 OK']), message: /status line/ },
  { name: 'a two-digit status', input: head(['HTTP/1.1 20 OK']), message: /status line/ },
  { name: 'no status line at all', input: head(['hello there']), message: /status line/ },
  {
    name: '101 Switching Protocols',
    input: head(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket']),
    message: /101/,
  },
  {
    name: 'a head longer than MAX_HEAD_BYTES, its end not yet come',
    input: `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(MAX_HEAD_BYTES)}`,
    message: /head longer/,
  },
  {
    name: 'a head longer than MAX_HEAD_BYTES, ended',
    input: head(['HTTP/1.1 200 OK', `X-Big: ${'a'.repeat(MAX_HEAD_BYTES)}`, 'Content-Length: 0']),
    message: /head longer/,
  },
  { name: 'a chunk size not in hex', input: `${chunked}zz\r\nhello\r\n`, message: /chunk size/ },
  { name: 'a negative chunk size', input: `${chunked}-1\r\n`, message: /chunk size/ },
  {
    name: 'chunk data longer than its size',
    input: `${chunked}3\r\nabcd\r\n0\r\n\r\n`,
    message: /chunk longer/,
  },
  {
    name: 'two different content-lengths',
    input: head(['HTTP/1.1 200 OK', 'Content-Length: 2', 'Content-Length: 3']) + 'ok',
    message: /two different content-lengths/,
  },
  { name: 'bytes after the end of the answer', input: `${ok2}X`, message: /after the end/ },
  {
    name: 'whitespace before a colon (transfer-encoding beside content-length: a desync)',
    input: head(['HTTP/1.1 200 OK', 'Transfer-Encoding : chunked', 'Content-Length: 3']) + 'abc',
    message: /header name/,
  },
  {
    name: 'a folded header line',
    input: head(['HTTP/1.1 200 OK', 'Content-Length: 2', ' folded']) + 'ok',
    message: /header name/,
  },
  {
    name: 'bytes after a 204',
    input: head(['HTTP/1.1 204 No Content']) + 'X',
    message: /after the end/,
  },
  {
    name: 'eof() before a content-length body ended',
    input: head(['HTTP/1.1 200 OK', 'Content-Length: 10']) + 'short',
    eof: true,
    message: /closed before/,
  },
  {
    name: 'eof() before a chunked body ended',
    input: `${chunked}5\r\nhel`,
    eof: true,
    message: /closed before/,
  },
];

describe('ResponseParser: malformed answers throw ResponseParseError', () => {
  for (const c of bad)
    it(c.name, () => {
      const ways: [string, string[]][] = [
        ['whole', [c.input]],
        ['byte by byte', [...c.input]],
      ];
      for (const [how, pieces] of ways) {
        let err: unknown;
        try {
          parse(pieces, c.eof);
        } catch (e) {
          err = e;
        }
        expect(err, how).toBeInstanceOf(ResponseParseError);
        expect(err, how).toMatchObject({ code: 'ENGINE_BAD_RESPONSE', message: c.message });
      }
    });

  it('two equal content-lengths are accepted', () => {
    const r = parse([head(['HTTP/1.1 200 OK', 'Content-Length: 2', 'content-length: 2']) + 'ok']);
    expect(r).toEqual({ heads: [[200, true, undefined]], body: 'ok', ends: 1, done: true });
  });
});
