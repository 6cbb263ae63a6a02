import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileStorage } from './file-storage.js';

/** Batch files hold prompts and answers: readable by the server's user only. */
export const FILE_MODE = 0o600;

/**
 * Files in a local directory (created 0700), written 0600 to a temp name and renamed when
 * complete.
 */
export function createLocalFileStorage(dir: string): FileStorage {
  const pathOf = (key: string): string => {
    if (!/^[A-Za-z0-9_.-]+$/.test(key)) throw new Error(`bad storage key '${key}'`);
    return join(dir, key);
  };
  let made: Promise<unknown> | undefined;
  return {
    async write(key, source) {
      made ??= mkdir(dir, { recursive: true, mode: 0o700 });
      await made;
      const final = pathOf(key);
      const tmp = `${final}.${process.pid}.${Date.now()}.part`;
      let size = 0;
      const counted = Readable.from(
        (async function* () {
          for await (const chunk of source) {
            const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
            size += b.length;
            yield b;
          }
        })(),
      );
      try {
        await pipeline(counted, createWriteStream(tmp, { mode: FILE_MODE }));
        await rename(tmp, final);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      return size;
    },
    read: (key) => createReadStream(pathOf(key)),
    async exists(key) {
      try {
        await stat(pathOf(key));
        return true;
      } catch {
        return false;
      }
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
