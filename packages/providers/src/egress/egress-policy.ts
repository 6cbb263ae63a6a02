import { classifyBytes, embeddedV4, type AddressClass } from './classify-address.js';
import { inCidr, parseCidr, parseIp, type Cidr } from './parse-ip.js';

/**
 * Where the server may connect on a user's behalf (webhooks, Provider base URLs). Public
 * addresses always; `classes` adds whole classes (e.g. `private` for in-cluster
 * OpenAI-compatible servers); `allow` adds explicit blocks (the operator's allow-list, e.g.
 * `127.0.0.0/8` where the local stack's simulators live). Link-local and metadata addresses are
 * reachable only when a block in `allow` names them.
 */
export interface EgressPolicy {
  classes: readonly AddressClass[];
  allow: readonly Cidr[];
}

/** Webhooks: public addresses only, plus the allow-list. */
export function webhookEgressPolicy(allow: readonly Cidr[] = []): EgressPolicy {
  return { classes: ['public'], allow };
}

/** Providers: public and private (cluster) addresses, plus the allow-list. */
export function providerEgressPolicy(allow: readonly Cidr[] = []): EgressPolicy {
  return { classes: ['public', 'private'], allow };
}

/**
 * `BASCULE_EGRESS_ALLOW`: comma-separated CIDR blocks or addresses. Throws naming the bad
 * entry (config is parsed once at start).
 */
export function parseEgressAllowList(text: string | undefined): Cidr[] {
  if (!text) return [];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const c = parseCidr(s);
      if (!c) throw new Error(`"${s.slice(0, 64)}" is not an IP address or CIDR block`);
      return c;
    });
}

const WHY: Record<AddressClass, string> = {
  public: 'a public address',
  loopback: 'a loopback address',
  private: 'a private (cluster-internal) address',
  'link-local': 'a link-local address',
  metadata: 'a cloud metadata address',
  reserved: 'a reserved address',
};

/** Why `address` may not be reached under `policy`, or undefined when it may. */
export function egressRefusal(address: string, policy: EgressPolicy): string | undefined {
  const b = parseIp(address);
  if (!b) return 'not an IP address';
  const cls = classifyBytes(b);
  if (policy.classes.includes(cls)) return undefined;
  // An allowed block matches the address in every form (127.0.0.1 and ::ffff:127.0.0.1 alike).
  const v4 = embeddedV4(b);
  if (policy.allow.some((c) => inCidr(b, c) || (v4 !== undefined && inCidr(v4, c))))
    return undefined;
  return WHY[cls];
}
