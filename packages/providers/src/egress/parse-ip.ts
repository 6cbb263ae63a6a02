import { isIP } from 'node:net';

/** An address as bytes: 4 for IPv4, 16 for IPv6. */
export type IpBytes = number[];

/** Dotted IPv4 or any IPv6 text form (zone ids dropped) to bytes; undefined for anything else. */
export function parseIp(text: string): IpBytes | undefined {
  const h = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const v = isIP(h);
  if (v === 4) return h.split('.').map(Number);
  if (v !== 6) return undefined;
  let s = h.toLowerCase();
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4?.[1]) {
    tail.push(...v4[1].split('.').map(Number));
    s = s.slice(0, -v4[1].length) + '0:0';
  }
  const [head = '', rest] = s.split('::') as [string, string | undefined];
  const groups = (x: string): number[] =>
    x === '' ? [] : x.split(':').map((g) => parseInt(g, 16));
  const a = groups(head);
  const b = rest === undefined ? [] : groups(rest);
  const words = [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** A CIDR block (`127.0.0.0/8`, `::1/128`, or a bare address for a single host). */
export interface Cidr {
  bytes: IpBytes;
  prefix: number;
  text: string;
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr = '', len] = text.trim().split('/') as [string, string | undefined];
  const bytes = parseIp(addr);
  if (!bytes) return undefined;
  const max = bytes.length * 8;
  const prefix = len === undefined ? max : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined;
  return { bytes, prefix, text: text.trim() };
}

export function inCidr(ip: IpBytes, c: Cidr): boolean {
  if (ip.length !== c.bytes.length) return false;
  for (let bit = 0; bit < c.prefix; bit += 8) {
    const i = bit / 8;
    const n = Math.min(8, c.prefix - bit);
    const mask = (0xff << (8 - n)) & 0xff;
    if ((ip[i]! & mask) !== (c.bytes[i]! & mask)) return false;
  }
  return true;
}
