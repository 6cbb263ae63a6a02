import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalFileStorage } from './local-file-storage.js';

describe('local batch file storage', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('writes files 0600 in a 0700 directory (prompts and answers are private)', async () => {
    root = await mkdtemp(join(tmpdir(), 'bsc-files-'));
    const dir = join(root, 'batches');
    const storage = createLocalFileStorage(dir);
    const size = await storage.write(
      'file-abc',
      Readable.from([Buffer.from('{"custom_id":"a"}\n')]),
    );
    expect(size).toBe(18);
    expect((await stat(join(dir, 'file-abc'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });
});
