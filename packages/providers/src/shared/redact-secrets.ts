/** Replaces every occurrence of each secret (and of its longer fragments) in `text`. */
export function redactSecrets(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    out = out.split(s).join('[redacted]');
  }
  return out;
}
