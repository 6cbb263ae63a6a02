import type { EngineRuntime } from './engine-runtime.js';
import { faultSettingsSchema } from './fault-settings.js';
import { readJson, sendJson } from './http-io.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The run-time fault switch: GET shows the settings, POST merges a partial update. */
export const ADMIN_FAULTS_PATH = '/admin/faults';

export async function handleAdminFaults(
  runtime: EngineRuntime,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method === 'GET') {
    sendJson(res, 200, { faults: runtime.faults, requests: runtime.requestCount });
    return;
  }
  if (req.method !== 'POST') {
    sendJson(res, 405, {
      error: `method ${req.method} not allowed on ${ADMIN_FAULTS_PATH} (use GET or POST)`,
    });
    return;
  }
  const body = await readJson(req);
  if (!body.ok) {
    sendJson(res, 400, { error: 'request body is not valid JSON' });
    return;
  }
  const parsed = faultSettingsSchema.partial().safeParse(body.value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    sendJson(res, 400, {
      error: `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`,
    });
    return;
  }
  const update = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
  runtime.faults = { ...runtime.faults, ...update };
  sendJson(res, 200, { faults: runtime.faults, requests: runtime.requestCount });
}
