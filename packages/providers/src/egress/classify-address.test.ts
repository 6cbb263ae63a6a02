import { describe, expect, it } from 'vitest';
import { classifyAddress } from './classify-address.js';
import {
  egressRefusal,
  parseEgressAllowList,
  providerEgressPolicy,
  webhookEgressPolicy,
} from './egress-policy.js';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['2002:7f00:1::', 'loopback'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['10.1.2.3', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['100.64.0.1', 'private'],
    ['0.0.0.0', 'reserved'],
    ['::', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['93.184.216.34', 'public'],
    ['2606:4700::1111', 'public'],
    ['::ffff:93.184.216.34', 'public'],
  ])('%s is %s', (addr, cls) => {
    expect(classifyAddress(addr)).toBe(cls);
  });

  it('refuses link-local and metadata unless an allow-list block names them', () => {
    const none = providerEgressPolicy();
    expect(egressRefusal('10.0.0.1', none)).toBeUndefined();
    expect(egressRefusal('127.0.0.1', none)).toBe('a loopback address');
    expect(egressRefusal('169.254.169.254', none)).toBe('a cloud metadata address');
    const lab = providerEgressPolicy(parseEgressAllowList('127.0.0.0/8, ::1'));
    expect(egressRefusal('127.0.0.5', lab)).toBeUndefined();
    expect(egressRefusal('::ffff:127.0.0.5', lab)).toBeUndefined();
    expect(egressRefusal('::ffff:127.0.0.5', none)).toBe('a loopback address');
    expect(egressRefusal('169.254.169.254', lab)).toBe('a cloud metadata address');
    expect(egressRefusal('10.0.0.1', webhookEgressPolicy())).toBe(
      'a private (cluster-internal) address',
    );
    expect(() => parseEgressAllowList('127.0.0.0/33')).toThrow(/127.0.0.0\/33/);
  });
});
