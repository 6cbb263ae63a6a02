/**
 * Deepest nesting a JSON body may have (objects and arrays). Real chat, job, batch and manifest
 * bodies stay far below it (a tool's JSON Schema is the deepest, a dozen or two levels); a body
 * past it is an attack or a bug, refused with a 400 before anything recurses over it.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The nesting depth of a JSON (or flow-style YAML) text, counted without recursion: brackets
 * inside strings do not count. Stops counting once `limit` is passed (returns limit + 1), so a
 * hostile body costs one linear scan at most.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // A string is skipped with indexOf (native), not char by char: a long prompt is one
      // string. A quote ends it unless an odd run of backslashes precedes it.
      const q = jsonStringEnd(text, i);
      if (q < 0) return max;
      i = q;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return max;
}

/**
 * Index of the quote that ends the JSON string opened at `open` (a quote), or -1: found with
 * indexOf (native), a quote counting unless an odd run of backslashes precedes it.
 */
export function jsonStringEnd(text: string, open: number): number {
  let q = text.indexOf('"', open + 1);
  while (q > 0) {
    let n = 0;
    while (text.charCodeAt(q - 1 - n) === 0x5c /* \ */) n++;
    if (n % 2 === 0) return q;
    q = text.indexOf('"', q + 1);
  }
  return -1;
}

/** The message of every "too deep" 400 (one wording for the gateway, the API and the queue). */
export function jsonTooDeepMessage(limit = MAX_JSON_DEPTH): string {
  return `the body nests objects or arrays more than ${limit} levels deep`;
}

/** JSON's whitespace (RFC 8259): space, tab, line feed, carriage return, as a char code. */
export function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
