import { describe, expect, it } from 'vitest';
import { gatewayAuthMode } from './serve-env.js';

describe('gatewayAuthMode', () => {
  it('requires keys once an admin key is configured', () => {
    expect(gatewayAuthMode({ BASCULE_ADMIN_KEY: 'bsc-admin-x' })).toBe('keys');
  });
  it('is open only when nothing configures keys', () => {
    expect(gatewayAuthMode({})).toBe('none');
  });
  it('lets an explicit BASCULE_AUTH win either way', () => {
    expect(gatewayAuthMode({ BASCULE_AUTH: 'none', BASCULE_ADMIN_KEY: 'bsc-admin-x' })).toBe(
      'none',
    );
    expect(gatewayAuthMode({ BASCULE_AUTH: 'keys' })).toBe('keys');
  });
});
