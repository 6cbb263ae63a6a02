export interface SseEvent {
  event?: string;
  data: string;
}

/**
 * Parses a text/event-stream body (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * `event:` and `data:` fields, multi-line data, comments, CRLF or LF line ends.
 */
export async function* parseSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | undefined;
  let data: string[] = [];
  const lines = function* (final: boolean): Generator<string> {
    for (;;) {
      const m = /\r\n|\r|\n/.exec(buffer);
      if (!m) break;
      if (m[0] === '\r' && m.index === buffer.length - 1 && !final) break; // maybe CRLF split
      yield buffer.slice(0, m.index);
      buffer = buffer.slice(m.index + m[0].length);
    }
  };
  const take = (line: string): SseEvent | undefined => {
    if (line === '') {
      if (data.length === 0) {
        event = undefined;
        return undefined;
      }
      const ev: SseEvent = { data: data.join('\n'), ...(event ? { event } : {}) };
      event = undefined;
      data = [];
      return ev;
    }
    if (line.startsWith(':')) return undefined;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    let value = i < 0 ? '' : line.slice(i + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    return undefined;
  };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (const line of lines(false)) {
      const ev = take(line);
      if (ev) yield ev;
    }
  }
  buffer += decoder.decode();
  for (const line of lines(true)) {
    const ev = take(line);
    if (ev) yield ev;
  }
  if (buffer !== '') {
    const ev = take(buffer);
    if (ev) yield ev;
  }
  const last = take('');
  if (last) yield last;
}
