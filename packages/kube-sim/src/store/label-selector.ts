import { badRequest } from './status-error.js';

export type LabelRequirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'in' | 'notin'; values: string[] };

/** A parsed label selector: every requirement must hold. */
export type LabelSelector = LabelRequirement[];

/**
 * Parses a label selector string as kubectl and client-node send it:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, joined by commas.
 */
export function parseLabelSelector(text: string | undefined): LabelSelector {
  if (!text || text.trim() === '') return [];
  const requirements: LabelSelector = [];
  for (const part of splitTopLevel(text)) {
    const s = part.trim();
    if (s === '') continue;
    let m = /^!\s*([\w./-]+)$/.exec(s);
    if (m) {
      requirements.push({ key: m[1]!, op: 'notexists' });
      continue;
    }
    m = /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(s);
    if (m) {
      const values = m[3]!
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      requirements.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values });
      continue;
    }
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(s);
    if (m) {
      requirements.push({ key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] });
      continue;
    }
    m = /^([\w./-]+)$/.exec(s);
    if (m) {
      requirements.push({ key: m[1]!, op: 'exists' });
      continue;
    }
    throw badRequest(
      `unable to parse requirement: found '${s}', expected: in, notin, =, ==, !=, gt, lt`,
    );
  }
  return requirements;
}

export function matchesLabels(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  for (const r of selector) {
    const value = labels?.[r.key];
    switch (r.op) {
      case 'exists':
        if (value === undefined) return false;
        break;
      case 'notexists':
        if (value !== undefined) return false;
        break;
      case 'in':
        if (value === undefined || !r.values.includes(value)) return false;
        break;
      case 'notin':
        if (value !== undefined && r.values.includes(value)) return false;
        break;
    }
  }
  return true;
}

/** metav1.LabelSelector ({matchLabels, matchExpressions}) to its string form. */
export function formatLabelSelector(selector: unknown): string {
  if (!selector || typeof selector !== 'object') return '';
  const { matchLabels, matchExpressions } = selector as {
    matchLabels?: Record<string, string>;
    matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
  };
  const parts: string[] = [];
  for (const [k, v] of Object.entries(matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
