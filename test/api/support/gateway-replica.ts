// One gateway replica as its own process: provider-sim behind it, keys, limits and budgets in the
// shared Redis. Prints {"url": ...} once listening; SIGTERM stops it. Used by keys-replicas.test.ts.
import {
  createGateway,
  createKeyAuthenticator,
  createRedisClient,
  createStaticEndpointStore,
  createStaticResources,
  startGateway,
} from '@bascule/gateway';
import { providerResource } from '../../gateway/support/fixtures.js';
import { simSecrets } from '../../gateway/support/harness.js';

const { REDIS_URL, PROVIDER_URL, NOW } = process.env;
if (!REDIS_URL || !PROVIDER_URL) throw new Error('REDIS_URL and PROVIDER_URL are required');
const redis = createRedisClient(REDIS_URL);
// Injected clock: every replica counts in the same minute and day buckets, however long the test runs.
// Admission leases on, as the gateway role runs it (ADR 0034).
const auth = createKeyAuthenticator({
  redis,
  leases: true,
  ...(NOW ? { now: () => Number(NOW) } : {}),
});
const gateway = createGateway({
  resources: createStaticResources({
    providers: [providerResource('openai', 'openai', PROVIDER_URL, ['gpt-4o-mini'])],
  }),
  endpoints: createStaticEndpointStore(),
  secrets: simSecrets(['openai']),
  authenticate: auth.authenticate,
  onUsage: auth.settle,
});
const running = await startGateway({ gateway, host: '127.0.0.1', port: 0 });
process.stdout.write(JSON.stringify({ url: running.url }) + '\n');
process.once('SIGTERM', () => {
  void (async () => {
    await running.close();
    await gateway.close();
    await auth.close();
    redis.disconnect();
    process.exit(0);
  })();
});
