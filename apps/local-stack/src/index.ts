// @bascule/local-stack: the launcher behind `pnpm start` (scripts/start.mjs runs dist/run-start.js).
// Exported for tests: the RESP ping that waits for a redis-server to accept clients.
export { pingRedis } from './ping-redis.js';
