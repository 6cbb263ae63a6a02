import { sendJson, sendText } from './http-io.js';
import type { RequestContext } from './request-context.js';

/** Paths of vLLM's runtime adapter API (vllm/entrypoints/openai/api_server.py). */
export const LOAD_LORA_PATH = '/v1/load_lora_adapter';
export const UNLOAD_LORA_PATH = '/v1/unload_lora_adapter';

/**
 * vLLM registers the runtime adapter routes only when VLLM_ALLOW_RUNTIME_LORA_UPDATING is
 * true ("1" or "true", any case); `value` is the variable's value, if set.
 */
export function runtimeLoraUpdatingAllowed(value: string | undefined): boolean {
  return ['1', 'true'].includes((value ?? '0').trim().toLowerCase());
}

function field(body: unknown, name: string): string | undefined {
  const v = (body as Record<string, unknown> | null | undefined)?.[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * POST /v1/load_lora_adapter {lora_name, lora_path} and POST /v1/unload_lora_adapter
 * {lora_name}: 200 with vLLM's plain-text "Success: ..." or its ErrorResponse. Without the
 * environment flag the routes do not exist (FastAPI's 404).
 */
export async function handleLoraAdmin(ctx: RequestContext): Promise<void> {
  const { runtime, res } = ctx;
  if (!runtime.config.runtimeLoraUpdating) {
    sendJson(res, 404, { detail: 'Not Found' });
    return;
  }
  const result =
    ctx.url.pathname === LOAD_LORA_PATH
      ? await runtime.loadLora(field(ctx.body, 'lora_name'), field(ctx.body, 'lora_path'))
      : runtime.unloadLora(field(ctx.body, 'lora_name'));
  if (result.ok) sendText(res, 200, result.message, 'text/plain; charset=utf-8');
  else
    sendJson(res, result.status, {
      error: { message: result.message, type: result.type, param: null, code: result.status },
    });
}
