import type { ServerResponse } from 'node:http';
import { sendJson } from './http-io.js';

/** TGI's ErrorResponse: {"error": message, "error_type": kind}. */
export function sendTgiError(
  res: ServerResponse,
  status: number,
  error: string,
  errorType: string,
): void {
  sendJson(res, status, { error, error_type: errorType });
}

/** 422 for a request TGI's validation rejects (the message carries TGI's prefix). */
export function sendTgiValidation(res: ServerResponse, message: string): void {
  sendTgiError(res, 422, `Input validation error: ${message}`, 'validation');
}

export function sendTgiOverloaded(res: ServerResponse): void {
  sendTgiError(res, 429, 'Model is overloaded', 'overloaded');
}
