import { parseEgressAllowList, type Cidr } from '@bascule/providers';

/**
 * BASCULE_EGRESS_ALLOW: address blocks the server may call on a user's behalf besides public
 * ones (and, for Providers, private cluster addresses): comma-separated CIDRs or addresses.
 * Loopback, link-local and metadata addresses are reachable only through it (the local stack
 * sets `127.0.0.0/8,::1` for its simulators). A bad entry stops start-up, naming the variable.
 */
export function egressAllowFromEnv(env: NodeJS.ProcessEnv = process.env): Cidr[] {
  try {
    return parseEgressAllowList(env.BASCULE_EGRESS_ALLOW);
  } catch (err) {
    throw new Error(`BASCULE_EGRESS_ALLOW: ${(err as Error).message}`);
  }
}
