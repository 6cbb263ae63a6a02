import type { ChatCompletion } from '@bascule/providers';
import { typeFor } from '../../errors/gateway-error.js';
import { toErrorResponse } from '../../errors/to-error-response.js';
import { answerFromChat } from './answer.js';
import type { DialectSession } from './dialect.js';

/**
 * A target's whole answer (chat JSON text and its status) in the client's dialect: a 200 chat
 * completion rendered, an upstream error (OpenAI's or vLLM's body) in the dialect's error shape.
 */
export async function renderAnswer(
  session: DialectSession,
  status: number,
  text: string,
): Promise<{ status: number; text: string }> {
  if (status === 200) {
    try {
      const body = await session.render(answerFromChat(JSON.parse(text) as ChatCompletion));
      return { status, text: JSON.stringify(body) };
    } catch (err) {
      // After the target answered (e.g. the response store failed): an error, never a retry.
      const e = session.error(toErrorResponse(err));
      return { status: e.status, text: JSON.stringify(e.body) };
    }
  }
  let message = text.slice(0, 1000);
  let code: string | null = null;
  let param: string | null = null;
  try {
    const j = JSON.parse(text) as {
      error?: { message?: string; code?: unknown; param?: unknown };
      message?: string;
    };
    message = j.error?.message ?? j.message ?? message;
    code = typeof j.error?.code === 'string' ? j.error.code : null;
    param = typeof j.error?.param === 'string' ? j.error.param : null;
  } catch {
    // not JSON: the text itself is the message
  }
  const e = session.error({
    status,
    body: { error: { message, type: typeFor(status), code, param } },
    headers: {},
  });
  return { status: e.status, text: JSON.stringify(e.body) };
}
