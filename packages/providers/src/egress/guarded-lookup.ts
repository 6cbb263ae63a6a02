import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { egressRefusal, type EgressPolicy } from './egress-policy.js';

/** Resolves a host name to its addresses (dns.lookup by default; injectable for tests). */
export type Resolve = (host: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, addrs) => (err ? reject(err) : resolve(addrs))),
  );

/**
 * A `lookup` for sockets (http.Agent, undici's connect): resolves the name at connect time
 * and refuses the connection when any address it resolves to is not allowed. The check is on
 * the very address the socket then connects to, so a name that resolved to a public address
 * when the URL was checked and to 127.0.0.1 now (DNS rebinding) is refused.
 */
export function guardedLookup(
  policy: EgressPolicy,
  resolve: Resolve = systemResolve,
): LookupFunction {
  return (host, options, callback) => {
    resolve(host).then(
      (addrs) => {
        const family = typeof options === 'object' ? options.family : options;
        const usable = addrs.filter((a) => !family || a.family === family);
        const bad = usable.find((a) => egressRefusal(a.address, policy) !== undefined);
        if (bad || usable.length === 0) {
          const why = bad ? egressRefusal(bad.address, policy)! : 'no address';
          const err = Object.assign(
            new Error(`egress refused: ${host} resolves to ${why} (${bad?.address ?? '-'})`),
            { code: 'EGRESS_REFUSED' },
          );
          callback(err, '', 0);
          return;
        }
        if (typeof options === 'object' && options.all) callback(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}
