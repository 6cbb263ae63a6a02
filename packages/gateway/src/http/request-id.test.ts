import { describe, expect, it } from 'vitest';
import { newRequestId } from './request-id.js';

describe('newRequestId', () => {
  it("is OpenAI's shape and never repeats, across refills of the random pool", () => {
    const ids = Array.from({ length: 2_000 }, () => newRequestId());
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // consecutive ids share no bytes by construction (each takes 12 fresh ones)
    expect(ids[511]!.slice(4, 12)).not.toBe(ids[512]!.slice(4, 12));
  });
});
