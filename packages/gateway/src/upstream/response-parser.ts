/**
 * An HTTP/1.1 response, parsed as its bytes arrive: the engine client's parser (ADR 0040).
 *
 * `feed` takes each chunk the socket reads. The head is collected up to its blank line (at most
 * MAX_HEAD_BYTES), its status line checked and only the headers that frame the body read:
 * `content-length`, `transfer-encoding`, `connection`, `keep-alive`. Interim answers (1xx but
 * 101) are skipped. Then the body goes to the sink as slices of the chunks read (never copied):
 * counted by content-length, decoded from chunked transfer coding (extensions and trailers
 * read and dropped), or, with neither, up to the end of the connection (`eof`). Bytes after the
 * end of the answer, which an engine never sends unasked, and any malformed framing throw a
 * ResponseParseError: the caller destroys the connection, which serves no one after that.
 */

/** Where the parsed response goes. */
export interface ResponseSink {
  /** The final status; `keepAlive`: whether the connection may carry another request. */
  head(status: number, keepAlive: boolean, keepAliveMs: number | undefined): void;
  body(chunk: Buffer): void;
  end(): void;
}

export class ResponseParseError extends Error {
  readonly code = 'ENGINE_BAD_RESPONSE';
  constructor(message: string) {
    super(`the engine's answer is not valid HTTP/1.1: ${message}`);
    this.name = 'ResponseParseError';
  }
}

/** Longest head (status line and headers) accepted, as node:http's default header limit. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** Longest chunk-size line (size and extensions) or trailer section accepted. */
const MAX_LINE_BYTES = 4 * 1024;

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
  Done,
}

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');

export class ResponseParser {
  private state = State.Head;
  /** Head or line bytes read so far that did not yet reach their end. */
  private pending: Buffer | undefined;
  /** Body bytes (Length) or chunk bytes (ChunkData) still to come. */
  private remaining = 0;

  constructor(private readonly sink: ResponseSink) {}

  /** Whether the whole answer has been read. */
  get done(): boolean {
    return this.state === State.Done;
  }

  feed(chunk: Buffer): void {
    // A head or line cut by the last chunk's end: joined with this one (rare: heads are small).
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let at = 0;
    while (at < buf.length) {
      switch (this.state) {
        case State.Head: {
          const end = buf.indexOf(CRLFCRLF, at);
          if (end < 0) {
            if (buf.length - at > MAX_HEAD_BYTES)
              throw new ResponseParseError(`a head longer than ${MAX_HEAD_BYTES} bytes`);
            this.pending = buf.subarray(at);
            return;
          }
          if (end - at > MAX_HEAD_BYTES)
            throw new ResponseParseError(`a head longer than ${MAX_HEAD_BYTES} bytes`);
          const head = buf.toString('latin1', at, end);
          at = end + 4;
          this.onHead(head);
          continue;
        }
        case State.Length:
          at = this.take(buf, at);
          if (this.remaining === 0) this.finish();
          continue;
        case State.ChunkSize: {
          const line = this.line(buf, at);
          if (line === undefined) return;
          at = line.next;
          const size = chunkSize(line.text);
          if (size === 0) this.state = State.Trailers;
          else {
            this.remaining = size;
            this.state = State.ChunkData;
          }
          continue;
        }
        case State.ChunkData:
          at = this.take(buf, at);
          if (this.remaining === 0) this.state = State.ChunkDataEnd;
          continue;
        case State.ChunkDataEnd: {
          const line = this.line(buf, at);
          if (line === undefined) return;
          if (line.text !== '') throw new ResponseParseError('a chunk longer than its size');
          at = line.next;
          this.state = State.ChunkSize;
          continue;
        }
        case State.Trailers: {
          const line = this.line(buf, at);
          if (line === undefined) return;
          at = line.next;
          if (line.text === '') this.finish(); // trailer fields are read and dropped
          continue;
        }
        case State.UntilClose:
          this.sink.body(at === 0 ? buf : buf.subarray(at));
          return;
        case State.Done:
          throw new ResponseParseError('bytes after the end of the answer');
      }
    }
  }

  /** The connection ended: the end of a body delimited by it; anything else cut short. */
  eof(): void {
    if (this.state === State.UntilClose) return this.finish();
    if (this.state !== State.Done)
      throw new ResponseParseError('the connection closed before the answer ended');
  }

  private onHead(head: string): void {
    const first = head.indexOf('\r\n');
    const statusLine = first < 0 ? head : head.slice(0, first);
    const m = /^HTTP\/1\.([01]) ([1-5]\d\d)(?: |$)/.exec(statusLine);
    if (!m) throw new ResponseParseError(`a status line of "${statusLine.slice(0, 40)}"`);
    const status = Number(m[2]);
    if (status === 101) throw new ResponseParseError('101 Switching Protocols, never asked for');
    if (status < 200) return; // 100 Continue, 103 Early Hints: the answer comes after
    const f = first < 0 ? NO_FIELDS : framingFields(head, first + 2);
    const http10 = m[1] === '0';
    const keepAlive = http10 ? f.connection === 'keep-alive' : f.connection !== 'close';
    let next: State;
    if (status === 204 || status === 304) next = State.Done;
    else if (f.chunked) next = State.ChunkSize;
    else if (f.transferEncoding !== undefined) next = State.UntilClose;
    else if (f.contentLength !== undefined) next = State.Length;
    else next = State.UntilClose;
    // A body read to the connection's end, or with both framings (RFC 9112 6.3), ends it.
    // So does a transfer coding in HTTP/1.0, which has none (RFC 9112 6.1).
    const reusable =
      keepAlive &&
      next !== State.UntilClose &&
      !(f.chunked && f.contentLength !== undefined) &&
      !(http10 && f.transferEncoding !== undefined);
    this.sink.head(status, reusable, f.keepAliveMs);
    this.state = next;
    if (next === State.Length) {
      this.remaining = f.contentLength!;
      if (this.remaining === 0) this.finish();
    } else if (next === State.Done) this.sink.end();
  }

  /** Hands on up to `remaining` body bytes from `at`; returns where the rest begins. */
  private take(buf: Buffer, at: number): number {
    const n = Math.min(this.remaining, buf.length - at);
    this.sink.body(buf.subarray(at, at + n));
    this.remaining -= n;
    return at + n;
  }

  private finish(): void {
    this.state = State.Done;
    this.sink.end();
  }

  /** The next CRLF-ended line from `at`, or undefined (kept pending: wait for more). */
  private line(buf: Buffer, at: number): { text: string; next: number } | undefined {
    const end = buf.indexOf(CRLF, at);
    if (end < 0) {
      if (buf.length - at > MAX_LINE_BYTES)
        throw new ResponseParseError(`a line longer than ${MAX_LINE_BYTES} bytes`);
      this.pending = buf.subarray(at);
      return undefined;
    }
    if (end - at > MAX_LINE_BYTES)
      throw new ResponseParseError(`a line longer than ${MAX_LINE_BYTES} bytes`);
    return { text: buf.toString('latin1', at, end), next: end + 2 };
  }
}

interface FramingFields {
  contentLength?: number;
  transferEncoding?: string;
  chunked: boolean;
  connection?: string;
  keepAliveMs?: number;
}
const NO_FIELDS: FramingFields = { chunked: false };

/** The headers that frame the body, from the head's field lines (after the status line). */
function framingFields(head: string, from: number): FramingFields {
  const f: FramingFields = { chunked: false };
  let at = from;
  while (at < head.length) {
    let end = head.indexOf('\r\n', at);
    if (end < 0) end = head.length;
    const colon = head.indexOf(':', at);
    if (colon < 0 || colon > end) throw new ResponseParseError('a header line without a colon');
    const name = head.slice(at, colon);
    // No whitespace before the colon nor folded lines (RFC 9112 5.1, 5.2): a classic desync.
    if (name.length === 0 || name.charCodeAt(0) <= 32 || name.charCodeAt(name.length - 1) <= 32)
      throw new ResponseParseError(`a header name of "${name.slice(0, 40)}"`);
    // Only the four framing headers are looked at; every other header is skipped unread.
    if (name.length >= 10 && name.length <= 17) readFraming(f, name, head.slice(colon + 1, end));
    at = end + 2;
  }
  return f;
}

function readFraming(f: FramingFields, rawName: string, rawValue: string): void {
  const name = rawName.toLowerCase();
  if (name === 'content-length') {
    const v = rawValue.trim();
    if (!/^\d{1,15}$/.test(v)) throw new ResponseParseError(`content-length "${v.slice(0, 20)}"`);
    const n = Number(v);
    if (f.contentLength !== undefined && f.contentLength !== n)
      throw new ResponseParseError('two different content-lengths');
    f.contentLength = n;
  } else if (name === 'transfer-encoding') {
    const v = rawValue.trim().toLowerCase();
    f.transferEncoding = f.transferEncoding === undefined ? v : `${f.transferEncoding}, ${v}`;
    // chunked must be the last coding applied; a body coded otherwise runs to the close
    f.chunked = /(?:^|,)\s*chunked$/.test(f.transferEncoding);
  } else if (name === 'connection') {
    const v = rawValue.toLowerCase();
    if (/(?:^|,)\s*close\s*(?:,|$)/.test(v)) f.connection = 'close';
    else if (f.connection === undefined && /(?:^|,)\s*keep-alive\s*(?:,|$)/.test(v))
      f.connection = 'keep-alive';
  } else if (name === 'keep-alive') {
    const m = /(?:^|,)\s*timeout\s*=\s*(\d{1,6})/i.exec(rawValue);
    if (m) f.keepAliveMs = Number(m[1]) * 1000;
  }
}

/** A chunk-size line's size (extensions after `;` dropped). */
function chunkSize(line: string): number {
  const semi = line.indexOf(';');
  const hex = (semi < 0 ? line : line.slice(0, semi)).trim();
  if (!/^[0-9a-fA-F]{1,12}$/.test(hex))
    throw new ResponseParseError(`a chunk size of "${hex.slice(0, 20)}"`);
  return parseInt(hex, 16);
}
