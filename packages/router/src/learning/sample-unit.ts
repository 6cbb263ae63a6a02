/**
 * A request id hashed to a number in [0, 1) (FNV-1a, 32 bits): the same on every gateway
 * replica, so whether a request is shadowed does not depend on which replica served it, and a
 * test can tell in advance which ids fall under a rate.
 */
export function sampleUnit(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000;
}
