import { keyRevocationChannel } from '@bascule/keyspace';
import type { Redis } from 'ioredis';

export interface RevocationFeed {
  close: () => void;
}

/**
 * Subscribes to the key store's revocation channel on a connection of its own (a duplicate of
 * `redis`): `revoked(id)` for each key revoked; `live(true)` once subscribed, `live(false)` when
 * the connection is lost (a message may have been missed), and again `live(true)` once
 * resubscribed. Connection errors only pause `live`: the main connection reports Redis faults.
 */
export function subscribeRevocations(
  redis: Redis,
  prefix: string,
  on: { revoked: (id: string) => void; live: (live: boolean) => void },
): RevocationFeed {
  const channel = keyRevocationChannel(prefix);
  const sub = redis.duplicate();
  let closed = false;
  sub.on('error', () => undefined);
  sub.on('message', (ch: string, id: string) => {
    if (ch === channel) on.revoked(id);
  });
  sub.on('close', () => on.live(false));
  const subscribe = () =>
    sub.subscribe(channel).then(
      () => {
        if (!closed) on.live(true);
      },
      () => on.live(false),
    );
  sub.on('ready', () => void subscribe());
  return {
    close: () => {
      closed = true;
      on.live(false);
      sub.disconnect();
    },
  };
}
