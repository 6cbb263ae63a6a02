import { beforeAll, describe, expect, it } from 'vitest';
import { TEXT_VOCABULARY } from './generate-text.js';
import { chooseTool, planResponse, type SimPrompt } from './plan-response.js';
import { loadTokenCounter, type TokenCounter } from './token-counter.js';

let tokens: TokenCounter;
beforeAll(async () => {
  tokens = await loadTokenCounter();
});

const base: SimPrompt = {
  model: 'm',
  inputText: 'Tell me about clusters.',
  framingTokens: 0,
  lastUserText: 'Tell me about clusters.',
  lastIsToolResult: false,
  tools: [],
  toolChoice: { mode: 'auto' },
  stop: [],
};
const tools = [
  { name: 'get_weather', schema: { type: 'object', properties: { city: { type: 'string' } } } },
  { name: 'get_time', schema: { type: 'object', properties: { zone: { type: 'string' } } } },
];

describe('planResponse', () => {
  it('every vocabulary piece is exactly one cl100k token, so output tokens = pieces', () => {
    for (const word of TEXT_VOCABULARY) {
      expect(tokens.count(` ${word}`), word).toBe(1);
      expect(tokens.count(` ${word.charAt(0).toUpperCase()}${word.slice(1)}`), word).toBe(1);
    }
    const plan = planResponse(base, { seed: 1, tokens });
    if (plan.kind !== 'text') throw new Error('expected text');
    expect(tokens.count(plan.pieces.join(''))).toBe(plan.outputTokens);
  });

  it('is deterministic per seed and prompt', () => {
    const a = planResponse(base, { seed: 1, tokens });
    expect(planResponse(base, { seed: 1, tokens })).toEqual(a);
    expect(planResponse(base, { seed: 2, tokens })).not.toEqual(a);
    expect(planResponse({ ...base, inputText: 'other' }, { seed: 1, tokens })).not.toEqual(a);
  });

  it('cuts at max tokens with finish "length" and at stop sequences', () => {
    const cut = planResponse(
      { ...base, maxTokens: 3 },
      { seed: 1, tokens, textLength: { min: 20, max: 20 } },
    );
    expect(cut).toMatchObject({ kind: 'text', finish: 'length', outputTokens: 3 });
    const full = planResponse(base, { seed: 1, tokens, textLength: { min: 20, max: 20 } });
    if (full.kind !== 'text') throw new Error('expected text');
    const stop = full.pieces[4] ?? '';
    const stopped = planResponse(
      { ...base, stop: [stop] },
      { seed: 1, tokens, textLength: { min: 20, max: 20 } },
    );
    if (stopped.kind !== 'text') throw new Error('expected text');
    expect(stopped.finish).toBe('stop_sequence');
    expect(stopped.stopSequence).toBe(stop);
    expect(stopped.pieces.join('')).not.toContain(stop);
    expect(full.pieces.join('').startsWith(stopped.pieces.join(''))).toBe(true);
  });

  it('calls a tool only when offered and asked for (phrase or forced choice)', () => {
    expect(chooseTool({ ...base, tools })).toBeUndefined();
    expect(chooseTool({ ...base, tools, lastUserText: 'Please use the tool' })?.name).toBe(
      'get_weather',
    );
    expect(chooseTool({ ...base, tools, lastUserText: 'Use the tool get_time' })?.name).toBe(
      'get_time',
    );
    expect(
      chooseTool({ ...base, tools, lastUserText: 'use the tool', lastIsToolResult: true }),
    ).toBeUndefined();
    expect(
      chooseTool({ ...base, tools, lastUserText: 'use the tool', toolChoice: { mode: 'none' } }),
    ).toBeUndefined();
    expect(chooseTool({ ...base, tools, toolChoice: { mode: 'required' } })?.name).toBe(
      'get_weather',
    );
    expect(
      chooseTool({ ...base, tools, toolChoice: { mode: 'required', names: ['get_time'] } })?.name,
    ).toBe('get_time');
    expect(chooseTool({ ...base, lastUserText: 'use the tool' })).toBeUndefined();
  });

  it('plans a tool call with JSON arguments and counts its tokens', () => {
    const plan = planResponse(
      { ...base, tools, toolChoice: { mode: 'required' } },
      { seed: 1, tokens, toolIdPrefix: 'toolu_' },
    );
    if (plan.kind !== 'tool') throw new Error('expected tool');
    expect(plan.calls[0]?.id.startsWith('toolu_')).toBe(true);
    expect(typeof (JSON.parse(plan.calls[0]?.arguments ?? '') as { city: unknown }).city).toBe(
      'string',
    );
    expect(plan.outputTokens).toBeGreaterThan(0);
  });
});
