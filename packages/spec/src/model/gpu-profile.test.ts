import { describe, expect, it } from 'vitest';
import { gpuCount, parseGpuProfile, tryParseGpuProfile } from './gpu-profile.js';

describe('GPU profiles', () => {
  it('splits type and count', () => {
    expect(parseGpuProfile('nvidia-h100:2')).toEqual({ type: 'nvidia-h100', count: 2 });
    expect(tryParseGpuProfile('nvidia-h100')).toBeUndefined();
    expect(() => parseGpuProfile('h100:0')).toThrow('invalid GPU profile "h100:0"');
  });

  it('gpuCount reads the count, the same on a second call, and throws on a malformed profile', () => {
    expect(gpuCount('nvidia-l4:4')).toBe(4);
    expect(gpuCount('nvidia-l4:4')).toBe(4);
    expect(gpuCount('amd-mi300x:8')).toBe(8);
    expect(() => gpuCount('nvidia-l4')).toThrow('invalid GPU profile "nvidia-l4"');
    // still throws the second time: a malformed profile is never remembered
    expect(() => gpuCount('nvidia-l4')).toThrow('invalid GPU profile');
  });

  it('gpuCount stays right past its bound (the memo is emptied, not wrong)', () => {
    for (let i = 1; i <= 1_200; i++)
      expect(gpuCount(`gpu-${i}:${(i % 16) + 1}`)).toBe((i % 16) + 1);
    expect(gpuCount('nvidia-h100:2')).toBe(2);
  });
});
