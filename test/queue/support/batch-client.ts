// The Batch API steps the queue tests take through the official openai SDK: upload a JSONL file
// and create a 24 h chat-completions batch, wait for a batch to complete, and read the lines of
// its output or error file.
import OpenAI, { toFile } from 'openai';
import { waitFor } from '@bascule/test-support';

type Batch = OpenAI.Batches.Batch;

/** Uploads `jsonl` as `fileName` and creates a batch of it on /v1/chat/completions. */
export async function submitBatch(client: OpenAI, jsonl: string, fileName: string): Promise<Batch> {
  const f = await client.files.create({
    file: await toFile(Buffer.from(jsonl), fileName),
    purpose: 'batch',
  });
  return client.batches.create({
    input_file_id: f.id,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
  });
}

/** Waits (deadline `timeoutMs`) for a batch to complete, and returns it. */
export function batchCompleted(
  client: OpenAI,
  id: string,
  timeoutMs: number,
  what = `batch ${id} completed`,
): Promise<Batch> {
  return waitFor(
    what,
    async () => {
      const x = await client.batches.retrieve(id);
      return x.status === 'completed' ? x : undefined;
    },
    timeoutMs,
  );
}

/** The lines of a batch's output or error file, without the final newline. */
export async function fileLines(client: OpenAI, fileId: string): Promise<string[]> {
  return (await (await client.files.content(fileId)).text()).trimEnd().split('\n');
}
