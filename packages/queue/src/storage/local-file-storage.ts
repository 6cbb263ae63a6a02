import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileStorage } from './file-storage.js';

/** Files in a local directory, written to a temp name and renamed when complete. */
export function createLocalFileStorage(dir: string): FileStorage {
  const pathOf = (key: string): string => {
    if (!/^[A-Za-z0-9_.-]+$/.test(key)) throw new Error(`bad storage key '${key}'`);
    return join(dir, key);
  };
  let made: Promise<unknown> | undefined;
  return {
    async write(key, source) {
      made ??= mkdir(dir, { recursive: true });
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
        await pipeline(counted, createWriteStream(tmp));
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
