import { describe, expect, it } from 'vitest';
import { gatewayAuthMode } from './gateway-role.js';

describe('gatewayAuthMode', () => {
  it('requires keys once an admin key is configured', () => {
    expect(gatewayAuthMode({ MODELPLANE_ADMIN_KEY: 'mp-admin-x' })).toBe('keys');
  });
  it('is open only when nothing configures keys', () => {
    expect(gatewayAuthMode({})).toBe('none');
  });
  it('lets an explicit MODELPLANE_AUTH win either way', () => {
    expect(gatewayAuthMode({ MODELPLANE_AUTH: 'none', MODELPLANE_ADMIN_KEY: 'mp-admin-x' })).toBe(
      'none',
    );
    expect(gatewayAuthMode({ MODELPLANE_AUTH: 'keys' })).toBe('keys');
  });
});
