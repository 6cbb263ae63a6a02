import { describe, expect, it } from 'vitest';
import { spliceModel } from './splice-model.js';

/** What the engine must read: the parsed body with the served name (and usage asked for). */
function expected(text: string, served: string, addUsage: boolean): unknown {
  const body = JSON.parse(text) as Record<string, unknown>;
  return {
    ...body,
    model: served,
    ...(addUsage ? { stream_options: { include_usage: true } } : {}),
  };
}

describe('spliceModel: the engine body without serialising the request again', () => {
  it('replaces the top-level model and appends stream_options, whatever the layout', () => {
    for (const text of [
      '{"model":"chat","messages":[{"role":"user","content":"hi"}]}',
      '{ "messages" : [ {"role":"user","content":"say \\"model\\":\\"x\\""} ] ,\n "model" : "chat" }',
      '{"tools":[{"function":{"parameters":{"model":"nested"}}}],"model":"chat","stream":true}',
      '{"messages":[{"content":"a } ] { [ , \\\\"}],"model":"chat","n":1}  ',
    ])
      for (const addUsage of [false, true]) {
        const out = spliceModel(text, 'chat', 'org/served-7b', addUsage);
        expect(out, text).toBeDefined();
        expect(JSON.parse(out!)).toEqual(expected(text, 'org/served-7b', addUsage));
      }
  });

  it('declines (the caller serialises) whenever the text could be read otherwise', () => {
    const no = (text: string, addUsage = false) =>
      expect(spliceModel(text, 'chat', 's', addUsage), text).toBeUndefined();
    no('{"model":"chat","mod\\u0065l":"chat"}'); // an escaped key JSON.parse reads as model
    no('{"model":"chat","model":"chat"}'); // repeated
    no('{"messages":[]}'); // missing
    no('{"model":"ch\\u0061t"}'); // the value written otherwise than the router read it
    no('{"model":"other"}');
    no('{"model":"chat","stream_options":{"include_usage":false}}', true);
    no('["model","chat"]');
  });

  it('agrees with parse-and-serialise on random bodies', () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const strings = ['model', '"model":"x"', 'a\\b', '}{][', 'é 中', '\\"', ',', ''];
    const value = (d: number): unknown => {
      const r = rand();
      if (d > 3 || r < 0.3) return pick(strings);
      if (r < 0.45) return Math.floor(rand() * 100);
      if (r < 0.55) return null;
      if (r < 0.75) return Array.from({ length: Math.floor(rand() * 3) }, () => value(d + 1));
      const o: Record<string, unknown> = {};
      for (let k = 0; k < 3; k++) o[pick(['model', 'stream_options', 'x', 'y z'])] = value(d + 1);
      return o;
    };
    let spliced = 0;
    for (let n = 0; n < 500; n++) {
      const body: Record<string, unknown> = {};
      const keys = ['messages', 'temperature', 'tools', 'user'].filter(() => rand() < 0.6);
      const at = Math.floor(rand() * (keys.length + 1));
      keys.splice(at, 0, 'model');
      for (const k of keys) body[k] = k === 'model' ? 'chat' : value(1);
      const text = JSON.stringify(body, null, rand() < 0.5 ? undefined : 2);
      const addUsage = rand() < 0.5;
      const out = spliceModel(text, 'chat', 'served', addUsage);
      if (out === undefined) continue;
      spliced++;
      expect(JSON.parse(out)).toEqual(expected(text, 'served', addUsage));
    }
    expect(spliced).toBeGreaterThan(400);
  });
});
