import { isJsonSpace, jsonStringEnd } from '@bascule/spec';

/**
 * The request's JSON text as the engine gets it, without serialising the body again (for a
 * 10 kB prompt that is ~15 µs of JSON.stringify per request): the top-level "model" value is
 * replaced by `served`, and `"stream_options":{"include_usage":true}` is appended when
 * `addUsage`. One pass over the text's structure; strings are skipped with indexOf.
 *
 * Returns undefined whenever the text does not allow it with certainty, and the caller then
 * serialises the parsed body: a top-level key written with an escape (JSON.parse would read
 * "mod\u0065l" as "model"), "model" missing or repeated, its value not exactly the JSON of
 * `model` (what the router read), or "stream_options" already there when one is to be added.
 * `text` must be JSON that JSON.parse accepted as an object.
 */
export function spliceModel(
  text: string,
  model: string,
  served: string,
  addUsage: boolean,
): string | undefined {
  let depth = 0;
  let afterKeyOrValueStart = true; // at depth 1: after '{' or ',' a string is a key
  let valueStart = -1;
  let valueEnd = -1;
  let models = 0;
  let streamOptions = false;
  let close = -1;
  let start = 0;
  while (isJsonSpace(text.charCodeAt(start))) start++;
  if (text.charCodeAt(start) !== 0x7b) return undefined; // an object, nothing else
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = jsonStringEnd(text, i);
      if (end < 0) return undefined;
      if (depth === 1 && afterKeyOrValueStart) {
        // a top-level key: text.slice(i + 1, end)
        const escape = text.indexOf('\\', i + 1);
        if (escape >= 0 && escape < end) return undefined;
        const len = end - i - 1;
        if (len === 5 && text.startsWith('model', i + 1)) {
          models++;
          let v = end + 1;
          while (isJsonSpace(text.charCodeAt(v)) || text.charCodeAt(v) === 0x3a /* : */) v++;
          if (text.charCodeAt(v) !== 0x22) return undefined;
          const vEnd = jsonStringEnd(text, v);
          if (vEnd < 0) return undefined;
          valueStart = v;
          valueEnd = vEnd + 1;
          afterKeyOrValueStart = false;
          i = vEnd;
          continue;
        }
        if (len === 14 && text.startsWith('stream_options', i + 1)) streamOptions = true;
        afterKeyOrValueStart = false;
      }
      i = end;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth === 1) afterKeyOrValueStart = true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
      if (depth === 0) close = i;
    } else if (c === 0x2c /* , */ && depth === 1) afterKeyOrValueStart = true;
  }
  if (models !== 1 || close < 0 || (addUsage && streamOptions)) return undefined;
  if (text.slice(valueStart, valueEnd) !== JSON.stringify(model)) return undefined;
  const head = text.slice(0, valueStart) + JSON.stringify(served);
  if (!addUsage) return head + text.slice(valueEnd);
  return `${head}${text.slice(valueEnd, close)},"stream_options":{"include_usage":true}${text.slice(close)}`;
}
