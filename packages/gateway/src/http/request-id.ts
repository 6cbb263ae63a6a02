import { randomFillSync } from 'node:crypto';

const ID_BYTES = 12;
const POOL_IDS = 512;
const pool = Buffer.allocUnsafe(ID_BYTES * POOL_IDS);
let next = POOL_IDS;

/**
 * `req_` and 24 random hex digits (OpenAI's shape). The random bytes are drawn 512 ids at a
 * time: one call into the CSPRNG per 512 requests instead of one per request.
 */
export function newRequestId(): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const at = next++ * ID_BYTES;
  return `req_${pool.toString('hex', at, at + ID_BYTES)}`;
}
