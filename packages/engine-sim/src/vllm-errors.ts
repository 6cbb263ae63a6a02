import type { ServerResponse } from 'node:http';
import { sendJson } from './http-io.js';

const TYPES: Record<number, string> = {
  400: 'BadRequestError',
  404: 'NotFoundError',
  405: 'MethodNotAllowed',
  413: 'BadRequestError',
  500: 'InternalServerError',
  501: 'NotImplementedError',
  503: 'ServiceUnavailableError',
};

/** vLLM v0.11's ErrorResponse: {"error": {"message", "type", "param", "code"}}. */
export function vllmErrorBody(status: number, message: string, param: string | null = null) {
  return { error: { message, type: TYPES[status] ?? 'BadRequestError', param, code: status } };
}

export function sendVllmError(
  res: ServerResponse,
  status: number,
  message: string,
  param: string | null = null,
): void {
  sendJson(res, status, vllmErrorBody(status, message, param));
}
