import { deepEqual } from '../../store/index.js';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; value: unknown; negate: boolean };

/**
 * Evaluates the JSONPath subset CRD printer columns use: `.a.b`, `['a.b']`, `[0]`, `[*]`,
 * `[?(@.type=="Ready")]`. Returns every match.
 */
export function evalJsonPath(root: unknown, expression: string): unknown[] {
  const steps = parseJsonPath(expression);
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'field') {
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
          const x = (v as Record<string, unknown>)[step.name];
          if (x !== undefined) next.push(x);
        }
      } else if (step.kind === 'index') {
        if (Array.isArray(v)) {
          const x = v[step.index < 0 ? v.length + step.index : step.index] as unknown;
          if (x !== undefined) next.push(x);
        }
      } else if (step.kind === 'all') {
        if (Array.isArray(v)) for (const x of v as unknown[]) next.push(x);
        else if (v !== null && typeof v === 'object')
          for (const x of Object.values(v)) next.push(x as unknown);
      } else if (Array.isArray(v)) {
        for (const item of v as unknown[]) {
          const [got] = evalJsonPath(item, `.${step.path.join('.')}`);
          if (deepEqual(got, step.value) !== step.negate) next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}

function parseJsonPath(expression: string): Step[] {
  let s = expression.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  if (s.startsWith('$')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '.') {
      i++;
      let j = i;
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
      if (j > i) steps.push({ kind: 'field', name: s.slice(i, j) });
      i = j;
    } else if (c === '[') {
      const end = matchingBracket(s, i);
      const inner = s.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else {
        const m = /^\?\(@\.([\w.-]+)\s*(==|!=)\s*(.+)\)$/.exec(inner);
        if (m) {
          const raw = m[3]!.trim();
          let value: unknown = raw;
          if (/^'.*'$/.test(raw)) value = raw.slice(1, -1);
          else {
            try {
              value = JSON.parse(raw);
            } catch {
              value = raw;
            }
          }
          steps.push({ kind: 'filter', path: m[1]!.split('.'), value, negate: m[2] === '!=' });
        }
      }
    } else {
      let j = i;
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
      steps.push({ kind: 'field', name: s.slice(i, j) });
      i = j;
    }
  }
  return steps;
}

function matchingBracket(s: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return s.length;
}
