/** Longest caller-supplied name an error message echoes back (the rest is cut, with an ellipsis). */
export const MAX_ECHOED_NAME = 64;

/**
 * A caller-supplied name as an error message quotes it: at most MAX_ECHOED_NAME characters, so
 * a 10 KB "model" is not reflected back (nor logged) whole.
 */
export function echoName(name: string): string {
  return name.length <= MAX_ECHOED_NAME ? name : `${name.slice(0, MAX_ECHOED_NAME)}…`;
}
