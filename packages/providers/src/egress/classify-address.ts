import { inCidr, parseCidr, parseIp, type Cidr, type IpBytes } from './parse-ip.js';

/** What kind of address a connection would reach. */
export type AddressClass =
  'public' | 'loopback' | 'private' | 'link-local' | 'metadata' | 'reserved';

const blocks = (cls: AddressClass, list: string[]): [Cidr, AddressClass][] =>
  list.map((c) => [parseCidr(c)!, cls]);

/** IPv4 blocks that are not the public internet (RFC 6890), most specific first. */
const V4: [Cidr, AddressClass][] = [
  ...blocks('metadata', ['169.254.169.254/32', '169.254.170.2/32', '100.100.100.200/32']),
  ...blocks('loopback', ['127.0.0.0/8']),
  ...blocks('link-local', ['169.254.0.0/16']),
  ...blocks('private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10']),
  ...blocks('reserved', [
    '0.0.0.0/8',
    '192.0.0.0/24',
    '192.0.2.0/24',
    '198.18.0.0/15',
    '198.51.100.0/24',
    '203.0.113.0/24',
    '224.0.0.0/4',
    '240.0.0.0/4',
  ]),
];

/** IPv6 blocks; those that embed an IPv4 address are unwrapped first (see embeddedV4). */
const V6: [Cidr, AddressClass][] = [
  ...blocks('metadata', ['fd00:ec2::254/128']),
  ...blocks('loopback', ['::1/128']),
  ...blocks('reserved', ['::/128', 'ff00::/8', '2001:db8::/32', '100::/64', '64:ff9b:1::/48']),
  ...blocks('link-local', ['fe80::/10']),
  ...blocks('private', ['fc00::/7', 'fec0::/10']),
];

/**
 * The IPv4 address inside an IPv6 one, for every form that carries one to an IPv4 host:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), IPv4-compatible
 * (::a.b.c.d, deprecated but still routed by some stacks), NAT64 (64:ff9b::/96), 6to4
 * (2002:AABB:CCDD::/16) and Teredo (2001:0::/32, client address inverted in the last 32 bits).
 */
export function embeddedV4(b: IpBytes): IpBytes | undefined {
  if (b.length !== 16) return undefined;
  const zero = (from: number, to: number): boolean => b.slice(from, to).every((x) => x === 0);
  const last = b.slice(12, 16);
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return last;
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) return last;
  if (zero(0, 12) && !(last[0] === 0 && last[1] === 0 && last[2] === 0 && last[3]! <= 1))
    return last;
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return last;
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6);
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0 && b[3] === 0) return last.map((x) => x ^ 0xff);
  return undefined;
}

/** The class of an address in any text form; undefined when `text` is not an address. */
export function classifyAddress(text: string): AddressClass | undefined {
  const b = parseIp(text);
  return b ? classifyBytes(b) : undefined;
}

export function classifyBytes(b: IpBytes): AddressClass {
  const v4 = b.length === 4 ? b : embeddedV4(b);
  const table = v4 ? V4 : V6;
  const ip = v4 ?? b;
  for (const [c, cls] of table) if (inCidr(ip, c)) return cls;
  return 'public';
}
