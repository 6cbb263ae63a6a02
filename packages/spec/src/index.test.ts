import { describe, expect, it } from 'vitest';
import * as spec from '@modelplane/spec';

describe('workspace', () => {
  it('resolves workspace packages from source', () => {
    expect(typeof spec).toBe('object');
  });
});
