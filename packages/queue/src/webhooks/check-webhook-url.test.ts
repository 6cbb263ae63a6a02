import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, privateHostReason } from './check-webhook-url.js';

describe('checkWebhookUrl', () => {
  it.each([
    ['127.0.0.5', /loopback/],
    ['::1', /loopback/],
    ['::ffff:10.0.0.1', /private/],
    ['fd00::1', /private/],
    ['172.20.1.1', /private/],
    ['192.168.1.1', /private/],
    ['100.64.0.1', /private/],
    ['::ffff:7f00:1', /loopback/],
    ['::127.0.0.1', /loopback/],
    ['::ffff:169.254.169.254', /metadata/],
    ['0.0.0.0', /reserved/],
    ['kubernetes.default.svc', /cluster-internal/],
  ])('%s is not public', (host, why) => {
    expect(privateHostReason(host)).toMatch(why);
  });

  it('accepts public hosts and allowed private ones', () => {
    expect(privateHostReason('hooks.example.com')).toBeUndefined();
    expect(privateHostReason('8.8.8.8')).toBeUndefined();
    expect(checkWebhookUrl('https://hooks.example.com/x', {}).hostname).toBe('hooks.example.com');
    expect(checkWebhookUrl('http://127.0.0.1:9/x', { allowPrivate: true }).port).toBe('9');
    expect(
      checkWebhookUrl('http://relay.internal/x', { allowHosts: ['relay.internal'] }).hostname,
    ).toBe('relay.internal');
    expect(() => checkWebhookUrl('http://relay.internal/x', {})).toThrow(/cluster-internal/);
  });
});
