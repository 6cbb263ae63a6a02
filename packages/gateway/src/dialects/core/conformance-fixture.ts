import type { IncomingHttpHeaders } from 'node:http';
import type { FinishReason } from '@bascule/providers';
import type { Dialect } from './dialect.js';

/** An answer as a client of the dialect reads it back (what the conformance suite compares). */
export interface ReadAnswer {
  text: string;
  toolCalls: { id: string; name: string; input: unknown }[];
  finish: FinishReason;
  inputTokens: number;
  outputTokens: number;
}

/**
 * What each dialect gives the shared conformance suite (dialect-conformance.test.ts): requests
 * in its shape and readers of its responses, so every dialect is held to the same contract.
 */
export interface DialectConformance {
  dialect: Dialect;
  headers: IncomingHttpHeaders;
  /** System "Be brief.", user "Say hello", at most 16 tokens. */
  textRequest(stream: boolean): unknown;
  /** User "Weather in Paris?", the get_weather(city) tool, its use forced. */
  toolRequest(stream: boolean): unknown;
  /** The tool round trip: the user's question, the assistant's call `call_1` with
   *  {"city":"Paris"}, and its result "Sunny". */
  toolResultRequest(): unknown;
  /** Fields the dialect cannot carry, each with the param its 400 must name. */
  unsupported: { body: unknown; param: string }[];
  readResponse(body: unknown): ReadAnswer;
  readStream(sse: string): ReadAnswer;
  readError(status: number, body: unknown): { status: number; message: string; param?: string };
}

/** SSE text to its events' (type, data) in order. */
export function sseEvents(sse: string): { event: string | undefined; data: unknown }[] {
  return sse
    .split('\n\n')
    .filter((e) => e.trim().length > 0)
    .map((e) => {
      const lines = e.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      return { event, data: JSON.parse(data) as unknown };
    });
}
