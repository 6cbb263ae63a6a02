import { DEFAULT_PREFIX, keySpendKey } from '@bascule/keyspace';
import type { KeyStore, ResourceSource, RouteBudgetLedger } from '@bascule/gateway';
import type { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';

/** Most keys exported, lowest remaining first: a bounded label set however many keys exist. */
const MAX_KEYS = 200;

/**
 * `bascule_route_budget_remaining_usd{route, period}`: closed-API budget left on each Route with
 * `budgets` (day and/or month), read at scrape time from the gateway's ledger.
 */
export function registerRouteBudgetMetrics(
  registry: Registry,
  resources: ResourceSource,
  ledger: RouteBudgetLedger,
  onError: (err: unknown) => void,
): void {
  if (registry.getSingleMetric('bascule_route_budget_remaining_usd')) return;
  const g = new Gauge({
    name: 'bascule_route_budget_remaining_usd',
    help: 'Closed-API budget left on a Route with budgets, for the current day or month (UTC).',
    labelNames: ['route', 'period'],
    registers: [registry],
    async collect() {
      try {
        const at = new Date();
        const routes = resources
          .snapshot()
          .catalog.routes()
          .filter((r) => r.spec.budgets);
        const rows = await Promise.all(
          routes.map(async (r) => {
            const name = `${r.metadata.namespace ?? 'default'}/${r.metadata.name}`;
            return { name, budgets: r.spec.budgets!, spend: await ledger.spent(name, at) };
          }),
        );
        g.reset();
        for (const { name, budgets, spend } of rows) {
          if (budgets.dailyUSD !== undefined)
            g.set({ route: name, period: 'day' }, Math.max(0, budgets.dailyUSD - spend.day));
          if (budgets.monthlyUSD !== undefined)
            g.set({ route: name, period: 'month' }, Math.max(0, budgets.monthlyUSD - spend.month));
        }
      } catch (err) {
        onError(err);
      }
    },
  });
}

/**
 * `bascule_key_budget_remaining_usd{key, tenant}`: budget left on each API key that has one, for
 * its current period (the admission script's `spend:{id}:{period}`), at most MAX_KEYS keys.
 */
export function registerKeyBudgetMetrics(
  registry: Registry,
  redis: Redis,
  keys: KeyStore,
  onError: (err: unknown) => void,
  prefix = DEFAULT_PREFIX,
): void {
  if (registry.getSingleMetric('bascule_key_budget_remaining_usd')) return;
  const g = new Gauge({
    name: 'bascule_key_budget_remaining_usd',
    help: 'Budget left on an API key for its current day or month (UTC); keys with a budget only.',
    labelNames: ['key', 'tenant'],
    registers: [registry],
    async collect() {
      try {
        const now = new Date().toISOString();
        const withBudget = (await keys.list()).filter((k) => k.budget);
        const p = redis.pipeline();
        for (const k of withBudget)
          p.hget(
            keySpendKey(
              k.id,
              k.budget!.period === 'day' ? now.slice(0, 10) : now.slice(0, 7),
              prefix,
            ),
            'spent',
          );
        const spent = (await p.exec()) ?? [];
        const rows = withBudget
          .map((k, i) => ({
            k,
            left: Math.max(0, k.budget!.usd - Number((spent[i]?.[1] as string | null) ?? 0)),
          }))
          .sort((a, b) => a.left - b.left)
          .slice(0, MAX_KEYS);
        g.reset();
        for (const { k, left } of rows) g.set({ key: k.id, tenant: k.tenant }, left);
      } catch (err) {
        onError(err);
      }
    },
  });
}
