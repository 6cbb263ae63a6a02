/** OpenAI's File object, plus the owner (never returned). */
export interface FileObject {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  expires_at?: number | null;
  filename: string;
  purpose: 'batch' | 'batch_output';
  status: 'processed';
  status_details?: string | null;
}

export interface StoredFile extends FileObject {
  owner: string;
  /** Number of lines (input files). */
  lines?: number;
  /** The endpoints its lines call (input files). */
  endpoints?: string[];
  /** The Routes/Models its lines name (input files): the batch is admitted for each. */
  models?: string[];
}

export function publicFile(f: StoredFile): FileObject {
  const { owner: _o, lines: _l, endpoints: _e, models: _m, ...rest } = f;
  return rest;
}
