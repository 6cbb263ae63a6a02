const unsupported = new Set([
  '$schema',
  'additionalProperties',
  'strict',
  '$id',
  '$defs',
  'definitions',
]);

/**
 * JSON Schema to the OpenAPI subset Gemini's `parameters` / `responseSchema` accept
 * (https://ai.google.dev/api/caching#Schema): drops keywords it rejects, recursively.
 * Returns undefined for an object schema without properties (Gemini rejects those).
 */
export function toGeminiSchema(
  schema: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!schema) return undefined;
  if (
    schema.type === 'object' &&
    (!schema.properties || Object.keys(schema.properties).length === 0)
  ) {
    return undefined;
  }
  return clean(schema) as Record<string, unknown>;
}

function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clean);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (unsupported.has(k)) continue;
    if (k === 'properties' && val && typeof val === 'object') {
      out[k] = Object.fromEntries(
        Object.entries(val as Record<string, unknown>).map(([p, s]) => [p, clean(s)]),
      );
    } else out[k] = clean(val);
  }
  return out;
}
