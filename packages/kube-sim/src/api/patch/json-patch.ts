import { StatusError, cloneJson, deepEqual } from '../../store/index.js';

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function fail(message: string): StatusError {
  return new StatusError(422, 'Invalid', message, {});
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw fail(`invalid JSON pointer: "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function parentOf(
  doc: unknown,
  tokens: string[],
  pointer: string,
): { parent: Container; key: string } {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (cur !== null && typeof cur === 'object') cur = (cur as Record<string, unknown>)[t];
    else cur = undefined;
    if (cur === undefined) throw fail(`doc is missing path: "${pointer}": missing value`);
  }
  if (cur === null || typeof cur !== 'object')
    throw fail(`doc is missing path: "${pointer}": missing value`);
  return { parent: cur as Container, key: tokens[tokens.length - 1]! };
}

function getAt(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const t of parsePointer(pointer)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (cur !== null && typeof cur === 'object') cur = (cur as Record<string, unknown>)[t];
    else cur = undefined;
    if (cur === undefined) throw fail(`doc is missing path: "${pointer}": missing value`);
  }
  return cur;
}

function arrayIndex(arr: unknown[], key: string, pointer: string, forAdd: boolean): number {
  if (forAdd && key === '-') return arr.length;
  const i = Number(key);
  if (!/^\d+$/.test(key) || i > arr.length || (!forAdd && i >= arr.length)) {
    throw fail(`unable to access invalid index: ${key} in "${pointer}"`);
  }
  return i;
}

function add(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, pointer, true), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, pointer, false), 1);
  else {
    if (!(key in parent)) throw fail(`Unable to remove nonexistent key: ${key}: missing value`);
    delete parent[key];
  }
  return doc;
}

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test). */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations))
    throw new StatusError(400, 'BadRequest', 'a JSON patch must be an array of operations', {});
  let doc = cloneJson(target);
  for (const raw of operations as Operation[]) {
    if (!raw || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw new StatusError(
        400,
        'BadRequest',
        'each JSON patch operation needs "op" and "path"',
        {},
      );
    }
    switch (raw.op) {
      case 'add':
        doc = add(doc, raw.path, cloneJson(raw.value));
        break;
      case 'remove':
        doc = remove(doc, raw.path);
        break;
      case 'replace':
        getAt(doc, raw.path);
        doc = add(remove(doc, raw.path), raw.path, cloneJson(raw.value));
        break;
      case 'move': {
        const value = getAt(doc, raw.from ?? '');
        doc = add(remove(doc, raw.from ?? ''), raw.path, value);
        break;
      }
      case 'copy':
        doc = add(doc, raw.path, cloneJson(getAt(doc, raw.from ?? '')));
        break;
      case 'test':
        if (!deepEqual(getAt(doc, raw.path), raw.value)) {
          throw fail(`testing value ${raw.path} failed: test failed`);
        }
        break;
      default:
        throw new StatusError(400, 'BadRequest', `Unexpected kind: ${raw.op}`, {});
    }
  }
  return doc;
}
