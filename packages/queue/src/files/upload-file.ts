import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import busboy from 'busboy';
import { QueueError } from '../errors/queue-error.js';
import { newId } from '../http/new-id.js';
import type { FileStorage } from '../storage/file-storage.js';
import type { StoredFile } from './file-record.js';
import { validateBatchLine, type LineProblem } from './validate-batch-line.js';

export interface UploadLimits {
  /** Largest input file (default 200 MB, as OpenAI). */
  maxFileBytes: number;
  /** Most lines in one file (default 50,000, as OpenAI). */
  maxLines: number;
}

const MAX_REPORTED = 20;

/**
 * POST /v1/files: a multipart upload with `purpose=batch` and a JSONL `file`. The file is
 * validated line by line as it streams to storage; it is kept only if every line is valid.
 */
export async function uploadFile(
  req: IncomingMessage,
  owner: string,
  storage: FileStorage,
  limits: UploadLimits,
): Promise<StoredFile> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data'))
    throw new QueueError({
      status: 415,
      code: 'unsupported_media_type',
      message: 'upload the file as multipart/form-data with fields "purpose" and "file"',
    });
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limits.maxFileBytes + 64 * 1024) throw tooLarge(limits.maxFileBytes);
  const id = newId('file-');
  let purpose: string | undefined;
  let filename = 'upload.jsonl';
  let stored:
    Promise<{ size: number; lines: number; endpoints: string[]; models: string[] }> | undefined;
  let bb: busboy.Busboy;
  try {
    bb = busboy({ headers: req.headers, limits: { files: 1, fields: 4, fieldSize: 1024 } });
  } catch {
    throw QueueError.badRequest('malformed multipart body', 'file');
  }
  const done = new Promise<void>((resolve, reject) => {
    bb.on('field', (name, value) => {
      if (name === 'purpose') purpose = value;
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || stored) {
        stream.resume();
        return;
      }
      filename = info.filename || filename;
      stored = storeValidated(id, stream, storage, limits);
      stored.catch(() => stream.resume());
    });
    bb.on('error', () => reject(QueueError.badRequest('malformed multipart body', 'file')));
    bb.on('close', () => resolve());
  });
  req.pipe(bb);
  await done;
  if (!stored) throw QueueError.badRequest('the multipart body has no "file" field', 'file');
  const result = await stored;
  if (purpose !== 'batch') {
    await storage.remove(id);
    throw QueueError.badRequest(
      `purpose must be "batch" (got ${purpose === undefined ? 'none' : JSON.stringify(purpose)})`,
      'purpose',
    );
  }
  return {
    id,
    object: 'file',
    bytes: result.size,
    created_at: Math.floor(Date.now() / 1000),
    filename: filename.slice(0, 256),
    purpose: 'batch',
    status: 'processed',
    status_details: null,
    owner,
    lines: result.lines,
    endpoints: result.endpoints,
    models: result.models,
  };
}

async function storeValidated(
  id: string,
  stream: NodeJS.ReadableStream,
  storage: FileStorage,
  limits: UploadLimits,
): Promise<{ size: number; lines: number; endpoints: string[]; models: string[] }> {
  const problems: LineProblem[] = [];
  let problemCount = 0;
  let lines = 0;
  const seen = new Set<string>();
  const endpoints = new Set<string>();
  const models = new Set<string>();
  let size = 0;
  let pending = '';
  const decoder = new StringDecoder('utf8');
  const check = (text: string, n: number): void => {
    if (text.trim() === '') return;
    lines++;
    if (lines > limits.maxLines)
      throw QueueError.badRequest(`the file has more than ${limits.maxLines} lines`, 'file');
    const r = validateBatchLine(text, n);
    let p: LineProblem | undefined = 'message' in r ? r : undefined;
    if (!p && 'custom_id' in r) {
      if (seen.has(r.custom_id))
        p = {
          line: n,
          param: 'custom_id',
          message: `custom_id '${r.custom_id.slice(0, 64)}' is not unique`,
        };
      seen.add(r.custom_id);
      endpoints.add(r.url);
      models.add(r.body.model);
    }
    if (p) {
      problemCount++;
      if (problems.length < MAX_REPORTED) problems.push(p);
    }
  };
  let lineNo = 0;
  async function* validated(): AsyncGenerator<Buffer> {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limits.maxFileBytes) throw tooLarge(limits.maxFileBytes);
      const text = pending + decoder.write(chunk);
      const parts = text.split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) check(part.endsWith('\r') ? part.slice(0, -1) : part, ++lineNo);
      yield chunk;
    }
    pending += decoder.end();
    if (pending) check(pending, ++lineNo);
  }
  const written = await storage.write(id, validated());
  if (lines === 0) problems.push({ line: null, param: 'file', message: 'the file has no lines' });
  if (problems.length > 0 || problemCount > 0) {
    await storage.remove(id);
    const shown = problems.map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message));
    const more =
      problemCount > problems.length ? ` (and ${problemCount - problems.length} more)` : '';
    const err = new QueueError({
      status: 400,
      code: 'invalid_file',
      param: 'file',
      message: `the batch file is invalid: ${shown.join('; ')}${more}`,
    });
    err.details = problems;
    throw err;
  }
  return { size: written, lines, endpoints: [...endpoints], models: [...models] };
}

function tooLarge(max: number): QueueError {
  return new QueueError({
    status: 413,
    code: 'file_too_large',
    param: 'file',
    message: `the file is larger than the limit of ${max} bytes`,
  });
}
