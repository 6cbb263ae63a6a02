// The official @google/genai SDK (2.x) is the judge of format fidelity.
import { ApiError, FunctionCallingConfigMode, GoogleGenAI, Type } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startProviderSim, type RunningProviderSim } from '../index.js';

const KEY = 'gemini-test-key';
const MODEL = 'gemini-2.5-flash';
let sim: RunningProviderSim;
let ai: GoogleGenAI;

const weather = {
  functionDeclarations: [
    {
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: {
        type: Type.OBJECT,
        properties: {
          city: { type: Type.STRING },
          unit: { type: Type.STRING, enum: ['celsius', 'fahrenheit'] },
          days: { type: Type.INTEGER, minimum: 1, maximum: 3 },
        },
        required: ['city'],
      },
    },
  ],
};

function clientFor(apiKey: string): GoogleGenAI {
  return new GoogleGenAI({ apiKey, httpOptions: { baseUrl: sim.url } });
}

beforeAll(async () => {
  sim = await startProviderSim({ type: 'gemini', apiKey: KEY, seed: 3 });
  ai = clientFor(KEY);
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.setFaults({});
  sim.resetStats();
});

describe('provider-sim gemini: generateContent', () => {
  it('generates text with usage metadata, deterministically', async () => {
    const a = await ai.models.generateContent({
      model: MODEL,
      contents: 'Describe a cluster',
      config: { systemInstruction: 'Be brief' },
    });
    const b = await ai.models.generateContent({
      model: MODEL,
      contents: 'Describe a cluster',
      config: { systemInstruction: 'Be brief' },
    });
    expect(a.text).toMatch(/\w+/);
    expect(b.text).toBe(a.text);
    expect(a.candidates?.[0]?.finishReason).toBe('STOP');
    expect(a.usageMetadata?.candidatesTokenCount).toBeGreaterThan(0);
    expect(a.usageMetadata?.totalTokenCount).toBe(
      (a.usageMetadata?.promptTokenCount ?? 0) + (a.usageMetadata?.candidatesTokenCount ?? 0),
    );
    expect(sim.stats().byPath[`/v1beta/models/${MODEL}:generateContent`]).toBe(2);
  });

  it('stops at maxOutputTokens with MAX_TOKENS', async () => {
    const res = await ai.models.generateContent({
      model: MODEL,
      contents: 'Long story',
      config: { maxOutputTokens: 4 },
    });
    expect(res.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
    expect(res.usageMetadata?.candidatesTokenCount).toBe(4);
  });

  it('streams over SSE and the chunks add up to the whole answer', async () => {
    const whole = await ai.models.generateContent({ model: MODEL, contents: 'Describe a cluster' });
    const parts: string[] = [];
    let last: string | undefined;
    for await (const chunk of await ai.models.generateContentStream({
      model: MODEL,
      contents: 'Describe a cluster',
    })) {
      parts.push(chunk.text ?? '');
      last = chunk.candidates?.[0]?.finishReason ?? last;
    }
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('')).toBe(whole.text);
    expect(last).toBe('STOP');
    expect(sim.stats().byPath[`/v1beta/models/${MODEL}:streamGenerateContent`]).toBe(1);
  });

  it('answers with a functionCall (plain and streamed) whose args match the declaration', async () => {
    const res = await ai.models.generateContent({
      model: MODEL,
      contents: 'What is the weather? Use the tool.',
      config: { tools: [weather] },
    });
    const call = res.functionCalls?.[0];
    expect(call?.name).toBe('get_weather');
    const args = call?.args as { city: unknown; unit: unknown; days: number };
    expect(typeof args.city).toBe('string');
    expect(['celsius', 'fahrenheit']).toContain(args.unit);
    expect(args.days).toBeGreaterThanOrEqual(1);
    expect(args.days).toBeLessThanOrEqual(3);

    const calls = [];
    for await (const chunk of await ai.models.generateContentStream({
      model: MODEL,
      contents: 'Use the tool.',
      config: { tools: [weather] },
    })) {
      calls.push(...(chunk.functionCalls ?? []));
    }
    expect(calls.map((c) => c.name)).toEqual(['get_weather']);

    const forced = await ai.models.generateContent({
      model: MODEL,
      contents: 'hello',
      config: {
        tools: [weather],
        toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } },
      },
    });
    expect(forced.functionCalls?.[0]?.name).toBe('get_weather');

    const after = await ai.models.generateContent({
      model: MODEL,
      config: { tools: [weather] },
      contents: [
        { role: 'user', parts: [{ text: 'Use the tool.' }] },
        { role: 'model', parts: [{ functionCall: call ?? {} }] },
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }],
        },
      ],
    });
    expect(after.functionCalls).toBeUndefined();
    expect(after.text).toMatch(/\w/);
  });

  it('embeds, counts tokens and lists models', async () => {
    const e = await ai.models.embedContent({
      model: 'gemini-embedding-001',
      contents: ['a', 'b'],
      config: { outputDimensionality: 16 },
    });
    expect(e.embeddings).toHaveLength(2);
    expect(e.embeddings?.[0]?.values).toHaveLength(16);
    const c = await ai.models.countTokens({ model: MODEL, contents: 'Hello world' });
    expect(c.totalTokens).toBeGreaterThan(0);
    const names: string[] = [];
    for await (const m of await ai.models.list()) names.push(m.name ?? '');
    expect(names).toContain(`models/${MODEL}`);
  });

  it('accepts the key as ?key= too', async () => {
    const res = await fetch(`${sim.url}/v1beta/models/${MODEL}:generateContent?key=${KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(res.status).toBe(200);
  });
});

describe('provider-sim gemini: streaming without alt=sse', () => {
  it('returns one JSON array of responses, as the real API does', async () => {
    const res = await fetch(`${sim.url}/v1beta/models/${MODEL}:streamGenerateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { candidates: { finishReason: string }[] }[];
    expect(Array.isArray(body)).toBe(true);
    expect(body[body.length - 1]?.candidates[0]?.finishReason).toBe('STOP');
  });
});

describe('provider-sim gemini: errors', () => {
  it('401 UNAUTHENTICATED on a wrong key, as ApiError with status', async () => {
    const err = await clientFor('wrong')
      .models.generateContent({ model: MODEL, contents: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect((err as ApiError).message).toContain('UNAUTHENTICATED');
    expect((err as ApiError).message).not.toContain('wrong');
  });

  it('429 RESOURCE_EXHAUSTED with retry-after and RetryInfo', async () => {
    sim.setFaults({ rateLimitEvery: 1, retryAfterSeconds: 9 });
    const err = await ai.models
      .generateContent({ model: MODEL, contents: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(429);
    const body = JSON.parse((err as ApiError).message) as {
      error: { status: string; details: { retryDelay?: string }[] };
    };
    expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(body.error.details.some((d) => d.retryDelay === '9s')).toBe(true);
    const raw = await fetch(`${sim.url}/v1beta/models/${MODEL}:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': KEY },
      body: '{}',
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('9');
  });

  it('injected 503, 404 unknown model, 400 naming the field', async () => {
    sim.setFaults({ errorRate: 1, status: 503 });
    const e503 = await ai.models
      .generateContent({ model: MODEL, contents: 'x' })
      .catch((e: unknown) => e);
    expect((e503 as ApiError).status).toBe(503);
    expect((e503 as ApiError).message).toContain('UNAVAILABLE');
    sim.setFaults({});
    const e404 = await ai.models
      .generateContent({ model: 'gemini-nope', contents: 'x' })
      .catch((e: unknown) => e);
    expect((e404 as ApiError).status).toBe(404);
    const raw = await fetch(`${sim.url}/v1beta/models/${MODEL}:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': KEY },
      body: '{"contents":[{"role":"robot","parts":[]}]}',
    });
    expect(raw.status).toBe(400);
    expect(JSON.stringify(await raw.json())).toContain('contents[0].role');
  });

  it('fails a stream after the first chunk with an in-stream error', async () => {
    sim.setFaults({ failAfterFirstChunk: true });
    const got: string[] = [];
    const err = await (async () => {
      for await (const chunk of await ai.models.generateContentStream({
        model: MODEL,
        contents: 'x',
      }))
        got.push(chunk.text ?? '');
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(500);
    expect(got.length).toBe(1);
  });

  it('a rate-limited or unauthorised stream fails with ApiError and the status', async () => {
    sim.setFaults({ rateLimitEvery: 1 });
    const limited = await ai.models
      .generateContentStream({ model: MODEL, contents: 'x' })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ApiError);
    expect((limited as ApiError).status).toBe(429);
    sim.setFaults({});
    const denied = await clientFor('wrong')
      .models.generateContentStream({ model: MODEL, contents: 'x' })
      .catch((e: unknown) => e);
    expect((denied as ApiError).status).toBe(401);
  });
});
