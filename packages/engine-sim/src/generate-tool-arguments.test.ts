import { describe, expect, it } from 'vitest';
import { generateToolArguments } from './generate-tool-arguments.js';
import { createRng } from './prng.js';

describe('generateToolArguments', () => {
  const weather = {
    type: 'object',
    properties: {
      city: { type: 'string', minLength: 2 },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      days: { type: 'integer', minimum: 1, maximum: 7 },
      precise: { type: 'boolean' },
      tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
      when: { type: 'string', format: 'date-time' },
    },
    required: ['city', 'unit'],
  };

  it('fills every property with a value of the declared type and bounds', () => {
    const args = generateToolArguments(weather, createRng(1));
    expect(typeof args.city).toBe('string');
    expect((args.city as string).length).toBeGreaterThanOrEqual(2);
    expect(['celsius', 'fahrenheit']).toContain(args.unit);
    expect(Number.isInteger(args.days)).toBe(true);
    expect(args.days as number).toBeGreaterThanOrEqual(1);
    expect(args.days as number).toBeLessThanOrEqual(7);
    expect(typeof args.precise).toBe('boolean');
    expect(args.tags).toHaveLength(2);
    expect(Number.isNaN(Date.parse(args.when as string))).toBe(false);
  });

  it('is deterministic for a seed and varies across seeds', () => {
    expect(generateToolArguments(weather, createRng(7))).toEqual(
      generateToolArguments(weather, createRng(7)),
    );
    const seen = new Set(
      Array.from({ length: 20 }, (_, i) =>
        JSON.stringify(generateToolArguments(weather, createRng(i))),
      ),
    );
    expect(seen.size).toBeGreaterThan(1);
  });

  it('understands Gemini upper-case types, $ref, anyOf and const', () => {
    const gemini = {
      type: 'OBJECT',
      properties: { n: { type: 'NUMBER', minimum: 5, maximum: 6 }, ok: { type: 'BOOLEAN' } },
    };
    const g = generateToolArguments(gemini, createRng(3));
    expect(g.n as number).toBeGreaterThanOrEqual(5);
    expect(g.n as number).toBeLessThanOrEqual(6);
    expect(typeof g.ok).toBe('boolean');
    const refs = {
      type: 'object',
      $defs: { Point: { type: 'object', properties: { x: { type: 'integer' } } } },
      properties: {
        p: { $ref: '#/$defs/Point' },
        v: { anyOf: [{ type: 'null' }, { type: 'integer' }] },
        k: { const: 'fixed' },
      },
    };
    const r = generateToolArguments(refs, createRng(3));
    expect(Number.isInteger((r.p as { x: unknown }).x)).toBe(true);
    expect(Number.isInteger(r.v)).toBe(true);
    expect(r.k).toBe('fixed');
  });

  it('returns {} for a missing schema and stops on recursive schemas', () => {
    expect(generateToolArguments(undefined, createRng(1))).toEqual({});
    const loop = {
      type: 'object',
      $defs: { N: { type: 'object', properties: { next: { $ref: '#/$defs/N' } } } },
      properties: { head: { $ref: '#/$defs/N' } },
    };
    expect(() => JSON.stringify(generateToolArguments(loop, createRng(1)))).not.toThrow();
  });
});
