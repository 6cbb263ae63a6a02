import type { AnswerEvent } from '../core/answer.js';
import { AnswerBuilder } from '../core/answer.js';
import { sseEvent, type DialectStream } from '../core/dialect.js';
import { anthropicUsage, stopReasonOf } from './render-message.js';

/**
 * Answer events as Anthropic's stream: message_start, ping, then per content block
 * content_block_start / content_block_delta (text_delta, input_json_delta) /
 * content_block_stop, and message_delta (stop_reason, usage) and message_stop at the end.
 */
export class MessageEventStream implements DialectStream {
  private readonly built = new AnswerBuilder();
  private started = false;
  private index = -1;
  private open: 'text' | 'tool' | undefined;

  constructor(
    private readonly id: string,
    private readonly model: string,
  ) {}

  push(e: AnswerEvent): string {
    this.built.add(e);
    let out = this.start();
    if (e.type === 'text') {
      if (e.delta.length === 0) return out;
      if (this.open !== 'text') out += this.openBlock('text', { type: 'text', text: '' });
      out += this.delta({ type: 'text_delta', text: e.delta });
    } else if (e.type === 'tool-start') {
      out += this.openBlock('tool', { type: 'tool_use', id: e.id, name: e.name, input: {} });
    } else if (e.type === 'tool-args' && this.open === 'tool') {
      out += this.delta({ type: 'input_json_delta', partial_json: e.delta });
    }
    return out;
  }

  end(): Promise<string> {
    const a = this.built.answer;
    const out =
      this.start() +
      this.closeBlock() +
      sseEvent('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stopReasonOf(a.finish) ?? 'end_turn', stop_sequence: null },
        usage: anthropicUsage(a.usage),
      }) +
      sseEvent('message_stop', { type: 'message_stop' });
    return Promise.resolve(out);
  }

  fail(message: string): string {
    return sseEvent('error', { type: 'error', error: { type: 'api_error', message } });
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    return (
      sseEvent('message_start', {
        type: 'message_start',
        message: {
          id: this.id,
          type: 'message',
          role: 'assistant',
          model: this.built.answer.model || this.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: anthropicUsage({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 }),
        },
      }) + sseEvent('ping', { type: 'ping' })
    );
  }

  private openBlock(kind: 'text' | 'tool', block: Record<string, unknown>): string {
    const out = this.closeBlock();
    this.index++;
    this.open = kind;
    return (
      out +
      sseEvent('content_block_start', {
        type: 'content_block_start',
        index: this.index,
        content_block: block,
      })
    );
  }

  private closeBlock(): string {
    if (this.open === undefined) return '';
    this.open = undefined;
    return sseEvent('content_block_stop', { type: 'content_block_stop', index: this.index });
  }

  private delta(delta: Record<string, unknown>): string {
    return sseEvent('content_block_delta', {
      type: 'content_block_delta',
      index: this.index,
      delta,
    });
  }
}
