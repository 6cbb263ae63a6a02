import { describe, expect, it } from 'vitest';
import {
  type LabelledPrompt,
  isHeldOut,
  parseLabelledPrompt,
  parseLabelledPrompts,
  stratifiedFolds,
  weakFellShort,
} from './labelled-prompts.js';

describe('labelled prompts', () => {
  it('reads a prompt or a messages array, labels and grades', () => {
    expect(parseLabelledPrompt('{"prompt":"hi","label":1,"source":"s"}', 1)).toEqual({
      messages: [{ role: 'user', content: 'hi' }],
      label: 1,
      source: 's',
    });
    const chat = parseLabelledPrompt(
      '{"messages":[{"role":"system","content":"x"},{"role":"user","content":"y"}],"weak_score":3,"strong_score":9}',
      2,
    );
    expect(chat.messages).toHaveLength(2);
    // No label: weak_score < strong_score says the strong model was needed.
    expect(chat).toMatchObject({ label: 1, weakScore: 3, strongScore: 9 });
    expect(parseLabelledPrompts('{"prompt":"a"}\n\n{"prompt":"b"}\n')).toHaveLength(2);
  });

  it("trains the prior on whether the weak model fell short, not on the strong model's success", () => {
    const row = (line: string) => weakFellShort(parseLabelledPrompt(line, 1));
    // 0/1 correctness: both wrong is still a prompt the weak model fails (its label says 0).
    expect(row('{"prompt":"p","weak_score":0,"strong_score":0}')).toBe(1);
    expect(row('{"prompt":"p","weak_score":0,"strong_score":1}')).toBe(1);
    expect(row('{"prompt":"p","weak_score":1,"strong_score":0}')).toBe(0);
    expect(row('{"prompt":"p","weak_score":1,"strong_score":1,"label":1}')).toBe(0);
    // A judge's grades: the label (weak below strong).
    expect(row('{"prompt":"p","weak_score":7,"strong_score":9}')).toBe(1);
    expect(row('{"prompt":"p","weak_score":9,"strong_score":9}')).toBe(0);
    expect(row('{"prompt":"p","label":1}')).toBe(1);
    expect(row('{"prompt":"p"}')).toBeUndefined();
  });

  it('names the line and the field of bad input', () => {
    expect(() => parseLabelledPrompt('{oops', 7)).toThrow('line 7: not valid JSON');
    expect(() => parseLabelledPrompt('[1]', 3)).toThrow('line 3: expected a JSON object');
    expect(() => parseLabelledPrompt('{"text":"hi"}', 4)).toThrow(/line 4: needs "prompt"/);
    expect(() => parseLabelledPrompt('{"messages":[{"content":"x"}]}', 5)).toThrow(
      'line 5: messages[0].role must be a string',
    );
    expect(() => parseLabelledPrompt('{"prompt":"x","label":2}', 6)).toThrow(
      'line 6: label must be 0 or 1',
    );
    expect(() => parseLabelledPrompt('{"prompt":"x","weak_score":"3"}', 8)).toThrow(
      'line 8: weak_score must be a number',
    );
  });

  it('splits folds stratified by source and label, the same way every time', () => {
    const rows: Pick<LabelledPrompt, 'source' | 'label'>[] = Array.from(
      { length: 200 },
      (_, i) => ({ source: i < 150 ? 'a' : 'b', label: i % 4 === 0 ? 1 : 0 }),
    );
    const folds = stratifiedFolds(rows, 5, 1);
    expect(stratifiedFolds(rows, 5, 1)).toEqual(folds);
    expect(stratifiedFolds(rows, 5, 2)).not.toEqual(folds);
    for (const source of ['a', 'b'])
      for (const label of [0, 1]) {
        const group = rows
          .map((r, i) => [r, i] as const)
          .filter(([r]) => r.source === source && r.label === label);
        const counts = [0, 1, 2, 3, 4].map((f) => group.filter(([, i]) => folds[i] === f).length);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }
    const held = isHeldOut(rows);
    // Fold 0 of each group: ceil(112/5) + ceil(38/5) + ceil(37/5) + ceil(13/5) = 23 + 8 + 8 + 3.
    expect(held.filter(Boolean).length).toBe(42);
  });
});
