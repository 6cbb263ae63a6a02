import type { Answer, AnswerEvent, AnswerToolCall } from '../core/answer.js';
import { AnswerBuilder } from '../core/answer.js';
import { sseEvent, type DialectStream } from '../core/dialect.js';
import {
  functionCallItem,
  messageItem,
  newId,
  outputTextPart,
  renderResponse,
  statusOf,
  type ResponseFrame,
} from './render-response.js';

type Open =
  | { kind: 'message'; id: string; index: number; text: string }
  | { kind: 'call'; id: string; index: number; call: AnswerToolCall };

/**
 * Answer events as the Responses stream: response.created, response.in_progress, then per
 * output item output_item.added, (content_part.added, output_text.delta, output_text.done,
 * content_part.done) or function_call_arguments.delta/.done, output_item.done; and
 * response.completed (or response.incomplete) with the whole Response and its usage.
 */
export class ResponseEventStream implements DialectStream {
  private readonly built = new AnswerBuilder();
  private seq = 0;
  private started = false;
  private open: Open | undefined;
  private readonly output: Record<string, unknown>[] = [];

  constructor(
    private readonly frame: ResponseFrame,
    private readonly model: string,
    /** Called with the final Response before response.completed is sent (stores it). */
    private readonly finished: (response: Record<string, unknown>, answer: Answer) => Promise<void>,
  ) {}

  push(e: AnswerEvent): string {
    this.built.add(e);
    let out = this.start();
    if (e.type === 'text' && e.delta.length > 0) {
      if (this.open?.kind !== 'message') {
        out += this.close();
        const id = newId('msg');
        const index = this.output.length;
        this.open = { kind: 'message', id, index, text: '' };
        this.output.push(messageItem(id, '', 'in_progress'));
        out += this.event('response.output_item.added', {
          output_index: index,
          item: messageItem(id, '', 'in_progress'),
        });
        out += this.event('response.content_part.added', {
          item_id: id,
          output_index: index,
          content_index: 0,
          part: outputTextPart(''),
        });
      }
      const o = this.open;
      o.text += e.delta;
      out += this.event('response.output_text.delta', {
        item_id: o.id,
        output_index: o.index,
        content_index: 0,
        delta: e.delta,
        logprobs: [],
      });
    } else if (e.type === 'tool-start') {
      out += this.close();
      const id = newId('fc');
      const index = this.output.length;
      const call = { id: e.id, name: e.name, arguments: '' };
      this.open = { kind: 'call', id, index, call };
      this.output.push(functionCallItem(id, call, 'in_progress'));
      out += this.event('response.output_item.added', {
        output_index: index,
        item: functionCallItem(id, call, 'in_progress'),
      });
    } else if (e.type === 'tool-args' && this.open?.kind === 'call') {
      this.open.call.arguments += e.delta;
      out += this.event('response.function_call_arguments.delta', {
        item_id: this.open.id,
        output_index: this.open.index,
        delta: e.delta,
      });
    }
    return out;
  }

  async end(): Promise<string> {
    let out = this.start() + this.close();
    const a = this.built.answer;
    const status = statusOf(a);
    const response = renderResponse(
      this.frame,
      status,
      a.model || this.model,
      this.output,
      a.usage,
    );
    await this.finished(response, a);
    out += this.event(status === 'completed' ? 'response.completed' : 'response.incomplete', {
      response,
    });
    return out;
  }

  fail(message: string): string {
    const response = {
      ...renderResponse(this.frame, 'failed', this.model, this.output, null),
      error: { code: 'server_error', message },
    };
    return (
      this.event('error', { code: 'server_error', message, param: null }) +
      this.event('response.failed', { response })
    );
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    const response = renderResponse(this.frame, 'in_progress', this.model, [], null);
    return (
      this.event('response.created', { response }) +
      this.event('response.in_progress', { response })
    );
  }

  private close(): string {
    const o = this.open;
    if (!o) return '';
    this.open = undefined;
    if (o.kind === 'message') {
      const item = messageItem(o.id, o.text, 'completed');
      this.output[o.index] = item;
      return (
        this.event('response.output_text.done', {
          item_id: o.id,
          output_index: o.index,
          content_index: 0,
          text: o.text,
          logprobs: [],
        }) +
        this.event('response.content_part.done', {
          item_id: o.id,
          output_index: o.index,
          content_index: 0,
          part: outputTextPart(o.text),
        }) +
        this.event('response.output_item.done', { output_index: o.index, item })
      );
    }
    const item = functionCallItem(o.id, o.call, 'completed');
    this.output[o.index] = item;
    return (
      this.event('response.function_call_arguments.done', {
        item_id: o.id,
        output_index: o.index,
        name: o.call.name,
        arguments: o.call.arguments,
      }) + this.event('response.output_item.done', { output_index: o.index, item })
    );
  }

  private event(type: string, data: Record<string, unknown>): string {
    return sseEvent(type, { type, sequence_number: this.seq++, ...data });
  }
}
