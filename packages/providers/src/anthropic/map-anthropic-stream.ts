import type {
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  FinishReason,
  Usage,
} from '../openai-types/responses.js';
import type { SseEvent } from '../shared/parse-sse.js';
import { nowSeconds } from '../shared/ids.js';
import { parseJson, streamError } from '../shared/parse-json.js';
import type { AnthropicUsage } from './anthropic-types.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';
import { mapAnthropicUsage } from './map-anthropic-usage.js';

interface AnthropicStreamEvent {
  type: string;
  message?: { id?: string; model?: string; usage?: AnthropicUsage };
  index?: number;
  content_block?: { type: string; id?: string; name?: string; text?: string };
  delta?: {
    type?: string;
    text?: string;
    partial_json?: string;
    stop_reason?: string | null;
  };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

/**
 * Anthropic streaming events (https://docs.anthropic.com/en/docs/build-with-claude/streaming)
 * to OpenAI chunks: text deltas become content, each tool_use block a tool call whose
 * `input_json_delta`s become argument deltas; the stop reason ends the choice.
 */
export function mapAnthropicStream(
  provider: string,
  includeUsage: boolean,
  created = nowSeconds(),
) {
  return async function* (
    events: AsyncIterable<SseEvent>,
  ): AsyncGenerator<ChatCompletionChunk, Usage | undefined> {
    let id = '';
    let model = '';
    let usage: AnthropicUsage = {};
    let finished = false;
    const toolIndexByBlock = new Map<number, number>();
    const chunk = (
      delta: ChatCompletionChunkChoice['delta'],
      finish: FinishReason | null = null,
    ): ChatCompletionChunk => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    });
    for await (const ev of events) {
      const e = parseJson<AnthropicStreamEvent>(ev.data, provider);
      switch (e.type) {
        case 'message_start':
          id = e.message?.id ?? '';
          model = e.message?.model ?? '';
          usage = { ...e.message?.usage };
          yield chunk({ role: 'assistant', content: '' });
          break;
        case 'content_block_start': {
          const block = e.content_block;
          if (block?.type === 'tool_use') {
            const index = toolIndexByBlock.size;
            toolIndexByBlock.set(e.index ?? 0, index);
            yield chunk({
              tool_calls: [
                {
                  index,
                  id: block.id ?? '',
                  type: 'function',
                  function: { name: block.name ?? '', arguments: '' },
                },
              ],
            });
          } else if (block?.type === 'text' && block.text) {
            yield chunk({ content: block.text });
          }
          break;
        }
        case 'content_block_delta': {
          const d = e.delta;
          if (d?.type === 'text_delta' && d.text) yield chunk({ content: d.text });
          else if (d?.type === 'input_json_delta' && d.partial_json) {
            const index = toolIndexByBlock.get(e.index ?? 0) ?? 0;
            yield chunk({ tool_calls: [{ index, function: { arguments: d.partial_json } }] });
          }
          break;
        }
        case 'message_delta':
          usage = { ...usage, ...definedOnly(e.usage) };
          if (e.delta?.stop_reason !== undefined && !finished) {
            finished = true;
            yield chunk({}, mapAnthropicStopReason(e.delta.stop_reason));
          }
          break;
        case 'error':
          throw streamError(provider, e);
        default: // ping, content_block_stop, message_stop, unknown future events
          break;
      }
    }
    const mapped = mapAnthropicUsage(usage);
    if (includeUsage) {
      yield { id, object: 'chat.completion.chunk', created, model, choices: [], usage: mapped };
    }
    return mapped;
  };
}

function definedOnly(u: AnthropicUsage | undefined): AnthropicUsage {
  const out: AnthropicUsage = {};
  if (!u) return out;
  for (const [k, v] of Object.entries(u)) if (v != null) (out as Record<string, unknown>)[k] = v;
  return out;
}
