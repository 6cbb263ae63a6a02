import type { IncomingHttpHeaders } from 'node:http';
import type { ChatCompletionRequest } from '@bascule/providers';
import type { ErrorResponse } from '../../errors/to-error-response.js';
import type { Answer, AnswerEvent } from './answer.js';

/**
 * A client API the gateway speaks besides OpenAI Chat Completions (Anthropic Messages, OpenAI
 * Responses). A dialect is a set of pure mapping functions around one internal model: its
 * request becomes a Chat Completions request (what routing, admission, metering and every
 * target already understand), and the target's answer, as an {@link Answer} or a stream of
 * {@link AnswerEvent}s, becomes the dialect's response. Nothing in a dialect decides routing.
 */
export interface Dialect {
  /** `anthropic-messages`, `openai-responses`: the usage and docs name. */
  readonly name: string;
  /**
   * The dialect's request (parsed JSON) as the internal request, and the per-request renderer
   * of its answer. Throws a 400 GatewayError naming the field for anything it cannot carry.
   */
  accept(body: unknown, ctx: AcceptContext): Promise<DialectRequest> | DialectRequest;
  /** An error in the dialect's shape (status and body). */
  error(e: ErrorResponse): { status: number; body: unknown };
}

export interface AcceptContext {
  headers: IncomingHttpHeaders;
  /** The admitted API key's id (stored state, as stored responses, belongs to it). */
  key: string | undefined;
  /**
   * Whether every target the client's `model` can reach is a Provider of this type (a Route all
   * of whose targets are Anthropic Providers): then a provider-only field can be carried
   * untranslated instead of refused.
   */
  routesOnlyTo?: (model: string, providerType: NativeProviderType) => boolean;
}

/** The providers a dialect can be sent to untranslated. */
export type NativeProviderType = 'anthropic';

/** One request in a dialect: its chat form and how to render the answer back. */
export interface DialectRequest {
  chat: ChatCompletionRequest;
  /** The whole answer as the dialect's response body (may persist it, as stored responses). */
  render(answer: Answer): Promise<unknown>;
  /** A streaming renderer: answer events in, SSE text out. */
  stream(): DialectStream;
  /**
   * The request in a provider's own API, sent untranslated when the target is that kind of
   * Provider (an Anthropic Messages request to an Anthropic Provider): nothing is lost.
   */
  native?: NativeRequest;
}

/** A dialect's request as its own provider takes it. */
export interface NativeRequest {
  providerType: NativeProviderType;
  body: Record<string, unknown>;
  /** `anthropic-beta`, sent on (accepted only when every target is an Anthropic Provider). */
  beta?: string;
}

export interface DialectStream {
  /** SSE text for one answer event ('' when it produces nothing yet). */
  push(event: AnswerEvent): string;
  /** The closing events once the answer is complete. */
  end(): Promise<string>;
  /** A failure after the stream began: the dialect's stream error event(s). */
  fail(message: string): string;
}

/** A request in flight: its renderers and its dialect's error shape. */
export type DialectSession = DialectRequest & Pick<Dialect, 'error'>;

/** One SSE event: `event: <type>` and its JSON data (Anthropic and Responses both name events). */
export function sseEvent(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}
