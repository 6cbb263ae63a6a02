// @bascule/local-stack: the launcher behind `pnpm start` (scripts/start.mjs runs dist/run-start.js).
// Exported for tests: the RESP ping that waits for a redis-server to accept clients.
export { pingRedis } from './ping-redis.js';
// and the server's Node flags, which must be the gateway's.
export { SERVER_NODE_FLAGS } from './spawn-bascule.js';
