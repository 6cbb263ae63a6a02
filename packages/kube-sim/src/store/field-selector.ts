import { badRequest } from './status-error.js';
import type { KubeObject } from './types.js';

export interface FieldRequirement {
  path: string[];
  field: string;
  value: string;
  equal: boolean;
}

export type FieldSelector = FieldRequirement[];

/** Parses `metadata.name=x,spec.nodeName!=,status.phase==Running`. */
export function parseFieldSelector(text: string | undefined): FieldSelector {
  if (!text || text.trim() === '') return [];
  const out: FieldSelector = [];
  for (const part of text.split(',')) {
    const s = part.trim();
    if (s === '') continue;
    const m = /^([A-Za-z0-9_.-]+)\s*(==|=|!=)\s*(.*)$/.exec(s);
    if (!m)
      throw badRequest(
        `invalid field selector: '${s}': expected <field>=<value> or <field>!=<value>`,
      );
    out.push({ field: m[1]!, path: m[1]!.split('.'), value: m[3]!.trim(), equal: m[2] !== '!=' });
  }
  return out;
}

/** Reads a dotted field as the string a field selector compares against ('' when absent). */
export function fieldValue(object: KubeObject, path: string[]): string {
  let cur: unknown = object;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[p];
  }
  if (cur === undefined || cur === null) return '';
  if (typeof cur === 'string') return cur;
  if (typeof cur === 'number' || typeof cur === 'boolean') return String(cur);
  return JSON.stringify(cur);
}

export function matchesFields(selector: FieldSelector, object: KubeObject): boolean {
  for (const r of selector) {
    const v = fieldValue(object, r.path);
    if ((v === r.value) !== r.equal) return false;
  }
  return true;
}
