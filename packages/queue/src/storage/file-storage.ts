import type { Readable } from 'node:stream';

/**
 * Where uploaded input files and batch output/error files live. Contents are streamed in and
 * out, never held whole in memory. Local directory by default (a PersistentVolume in a cluster).
 */
export interface FileStorage {
  /** Writes `source` under `key`, atomically (visible only once complete); returns its size. */
  write(key: string, source: AsyncIterable<Buffer | string>): Promise<number>;
  /** Streams the file; throws if missing. */
  read(key: string): Readable;
  exists(key: string): Promise<boolean>;
  remove(key: string): Promise<void>;
}
