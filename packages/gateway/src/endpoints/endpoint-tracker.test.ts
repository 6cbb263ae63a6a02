import { describe, expect, it } from 'vitest';
import { EndpointTracker } from './endpoint-tracker.js';

describe('EndpointTracker overflow demand', () => {
  it('counts overflowed requests per Model until each ends, once', () => {
    const t = new EndpointTracker();
    const endA = t.beginOverflow(['llama']);
    const endB = t.beginOverflow(['llama', 'qwen']);
    expect(t.overflowDemand()).toEqual(
      new Map([
        ['llama', 2],
        ['qwen', 1],
      ]),
    );
    endA();
    endA();
    expect(t.overflowDemand()).toEqual(
      new Map([
        ['llama', 1],
        ['qwen', 1],
      ]),
    );
    endB();
    expect(t.overflowDemand().size).toBe(0);
  });
});
