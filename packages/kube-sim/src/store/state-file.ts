// kube-sim's state file: a store snapshot as JSON, written atomically (a temporary file in the
// same directory, fsynced, then renamed over the old one) with mode 0600, since it holds the
// cluster's Secrets; read back with errors that name the file and say how to start afresh.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { StoreSnapshot } from './store-snapshot.js';
import type { KubeObject } from './types.js';

export const STATE_FILE_KIND = 'KubeSimState';
export const STATE_FILE_VERSION = 1;

/** A state file that exists but cannot be read or understood. */
export class StateFileError extends Error {
  override name = 'StateFileError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(
      `cannot load the kube-sim state file ${file}: ${reason}. Delete or move it to start with ` +
        `an empty cluster`,
    );
  }
}

/** The snapshot in `file`, or undefined when there is no such file (a first start). */
export function readStateFile(file: string): StoreSnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return undefined;
    throw new StateFileError(file, e.code === 'EACCES' ? 'permission denied' : e.message);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new StateFileError(
      file,
      `not valid JSON (${(err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ')})`,
    );
  }
  return parseState(file, doc);
}

function parseState(file: string, doc: unknown): StoreSnapshot {
  const fail = (reason: string): never => {
    throw new StateFileError(file, reason);
  };
  const d = doc as Record<string, unknown> | null;
  if (!d || typeof d !== 'object' || d.kind !== STATE_FILE_KIND)
    fail(`not a kube-sim state file (kind is not "${STATE_FILE_KIND}")`);
  if (d!.version !== STATE_FILE_VERSION)
    fail(
      `version ${String(d!.version)} is not supported (this kube-sim reads ${STATE_FILE_VERSION})`,
    );
  const rv = Number(d!.resourceVersion);
  if (!Number.isSafeInteger(rv) || rv < 0) fail('resourceVersion is not a whole number');
  if (!Array.isArray(d!.resources)) fail('resources is not a list');
  const resources = (d!.resources as unknown[]).map((r, i) => {
    const e = r as { group?: unknown; resource?: unknown; items?: unknown } | null;
    if (!e || typeof e.group !== 'string' || typeof e.resource !== 'string' || !e.resource)
      fail(`resources[${i}] has no group and resource`);
    if (!Array.isArray(e!.items)) fail(`resources[${i}].items is not a list`);
    const items = (e!.items as unknown[]).map((o, j) =>
      checkObject(o, `resources[${i}].items[${j}]`, fail),
    );
    return { group: e!.group as string, resource: e!.resource as string, items };
  });
  return { resourceVersion: rv, resources };
}

function checkObject(o: unknown, where: string, fail: (reason: string) => never): KubeObject {
  const obj = o as KubeObject | null;
  if (!obj || typeof obj !== 'object' || typeof obj.kind !== 'string' || !obj.metadata)
    fail(`${where} is not a Kubernetes object`);
  const m = obj.metadata;
  if (typeof m.name !== 'string' || !m.name) fail(`${where}.metadata.name is missing`);
  if (typeof m.uid !== 'string' || !m.uid) fail(`${where}.metadata.uid is missing`);
  if (!/^\d+$/.test(String(m.resourceVersion ?? '')))
    fail(`${where}.metadata.resourceVersion is not a whole number`);
  return obj;
}

/** Serialises a snapshot (objects one per line, so a diff of two states stays readable). */
export function formatState(snapshot: StoreSnapshot): string {
  const resources = snapshot.resources.map(
    (r) =>
      `    {"group": ${JSON.stringify(r.group)}, "resource": ${JSON.stringify(r.resource)}, "items": [\n` +
      r.items.map((o) => `      ${JSON.stringify(o)}`).join(',\n') +
      '\n    ]}',
  );
  return (
    `{\n  "kind": "${STATE_FILE_KIND}",\n  "version": ${STATE_FILE_VERSION},\n` +
    `  "resourceVersion": "${snapshot.resourceVersion}",\n  "resources": [\n` +
    `${resources.join(',\n')}\n  ]\n}\n`
  );
}

/**
 * Writes the snapshot atomically: readers (and a crash) see the old file or the new one, never
 * half of one. The file is created with mode 0600: it holds Secrets.
 */
export function writeStateFile(file: string, snapshot: StoreSnapshot): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, formatState(snapshot));
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, file);
}
