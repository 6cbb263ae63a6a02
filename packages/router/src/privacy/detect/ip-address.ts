import { findAll, type Detector, type Finding } from './finding.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?![\\w]|\\.\\d)`, 'g');
const IPV6 = /(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:]|\.\d)/g;
/** A version number, not an address: "version 1.2.3.4", "v1.2.3.4", "release 4.2.0.1". */
const VERSION_BEFORE = /(?:\bv|version|release|build|firmware|ver\.?)\s{0,2}$/i;

/** True for a well-formed IPv6 address (full, or compressed with one ::), at least 3 groups. */
export function ipv6Valid(s: string): boolean {
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (groups.some((g) => g.length === 0 || g.length > 4)) return false;
  if (halves.length === 1 ? groups.length !== 8 : groups.length > 7) return false;
  return groups.length >= 3 && groups.some((g) => /\d/.test(g));
}

/** IPv4 (dotted quad, each octet 0-255, not after a version word) and IPv6 addresses. */
export const ipAddressDetector: Detector = {
  class: 'ip-address',
  find(text: string): Finding[] {
    return [
      ...findAll(text, IPV4, (m) =>
        VERSION_BEFORE.test(text.slice(Math.max(0, m.index - 12), m.index))
          ? undefined
          : { start: m.index, end: m.index + m[0].length, kind: 'ipv4' },
      ),
      ...(text.includes(':')
        ? findAll(text, IPV6, (m) =>
            ipv6Valid(m[0])
              ? { start: m.index, end: m.index + m[0].length, kind: 'ipv6' }
              : undefined,
          )
        : []),
    ];
  },
};
