// Pod IPs from 127.0.0.0/8: each cluster takes a /16 block 127.B.0.0 (B random in 10..249 unless
// given, so clusters in parallel test processes rarely share addresses) and hands out B.x.y in
// order, skipping .0/.255 and never 127.0.0.1. Released addresses are reused only after the
// block wraps around, so a restarted pod never finds its predecessor's socket.

export interface PodIpAllocator {
  allocate(): string;
  release(ip: string): void;
  readonly block: number;
}

export function createPodIpAllocator(block = 10 + Math.floor(Math.random() * 240)): PodIpAllocator {
  if (!Number.isInteger(block) || block < 1 || block > 254)
    throw new Error(`pod IP block must be 1..254, got ${block}`);
  const inUse = new Set<string>();
  let next = 0;
  const size = 256 * 254;
  return {
    block,
    allocate() {
      for (let tries = 0; tries < size; tries++) {
        const n = next;
        next = (next + 1) % size;
        const ip = `127.${block}.${Math.floor(n / 254)}.${(n % 254) + 1}`;
        if (!inUse.has(ip)) {
          inUse.add(ip);
          return ip;
        }
      }
      throw new Error(`pod IP block 127.${block}.0.0/16 is exhausted`);
    },
    release(ip) {
      inUse.delete(ip);
    },
  };
}
