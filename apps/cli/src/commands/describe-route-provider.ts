// `bascule describe route NAME` and `describe provider NAME`: the spec a person reasons about and
// the Ready condition the controller writes (never a Secret's value: only its name and key).
import { renderTable } from '../cli/table.js';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface Described<Spec> {
  metadata: { name: string; namespace?: string };
  spec?: Spec;
  status?: { conditions?: Condition[] };
}

interface RouteSpecView {
  strategy?: string;
  complexityThreshold?: number;
  complexity?: { strongShare?: number; minQuality?: number; window?: number };
  allowExternal?: boolean;
  aliases?: string[];
  targets?: RouteTarget[];
  fallback?: { triggers?: string[]; maxQueueWait?: string };
  budgets?: { dailyUSD?: number; monthlyUSD?: number; onExceeded?: string };
}

interface ProviderSpecView {
  type?: string;
  baseURL?: string;
  apiKeySecretRef?: { name?: string; key?: string };
  models?: ProviderModel[];
}

export type DescribedRoute = Described<RouteSpecView>;
export type DescribedProvider = Described<ProviderSpecView>;

interface RouteTarget {
  model: string;
  provider?: string;
  tier?: string;
  strengths?: string[];
  weight?: number;
}

interface ProviderModel {
  name: string;
  inputUSDPer1M?: number;
  outputUSDPer1M?: number;
  contextWindow?: number;
}

export function indent(t: string): string {
  return t.replace(/^/gm, '  ').replace(/ {2}$/, '');
}

export function conditionsBlock(conditions: readonly Condition[] | undefined): string {
  if (!conditions?.length) return 'Conditions:\n  <none: not reconciled yet>\n';
  return (
    'Conditions:\n' +
    indent(
      renderTable(
        ['TYPE', 'STATUS', 'REASON', 'MESSAGE'],
        conditions.map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '']),
      ),
    )
  );
}

function header(o: { metadata: { name: string; namespace?: string } }): string[] {
  return [`Name:         ${o.metadata.name}`, `Namespace:    ${o.metadata.namespace ?? 'default'}`];
}

export function renderRoute(o: DescribedRoute): string {
  const spec = o.spec ?? {};
  const fallback = spec.fallback ?? {};
  const strategy = spec.strategy ?? 'priority';
  const lines = [
    ...header(o),
    `Strategy:     ${strategy}${strategy === 'complexity' ? ` (${thresholdText(spec)})` : ''}`,
    `External:     ${spec.allowExternal === false ? 'no (requests never leave the cluster)' : 'allowed'}`,
    `Fallback:     ${(fallback.triggers ?? []).join(', ') || '<none>'}; wait up to ${fallback.maxQueueWait ?? '2s'}`,
    `Budgets:      ${budgetText(spec.budgets)}`,
  ];
  if (spec.aliases?.length) lines.push(`Aliases:      ${spec.aliases.join(', ')}`);
  const targets = spec.targets ?? [];
  // The STRENGTHS column only when a target declares some.
  const strengths = targets.some((t) => t.strengths?.length);
  return (
    lines.join('\n') +
    '\nTargets:\n' +
    indent(
      renderTable(
        ['#', 'TARGET', 'KIND', 'TIER', ...(strengths ? ['STRENGTHS'] : [])],
        targets.map((t, i) => [
          String(i + 1),
          t.provider ? `${t.provider}/${t.model}` : t.model,
          t.provider ? 'provider' : 'model',
          t.tier ?? '',
          ...(strengths ? [(t.strengths ?? []).join(', ')] : []),
        ]),
      ),
    ) +
    conditionsBlock(o.status?.conditions)
  );
}

/** How the complexity threshold is set: fixed, or by share and/or quality. */
function thresholdText(spec: RouteSpecView): string {
  const fixed = spec.complexityThreshold ?? 0.5;
  const c = spec.complexity;
  if (c?.strongShare === undefined && c?.minQuality === undefined) return `threshold ${fixed}`;
  const parts: string[] = [];
  if (c.strongShare !== undefined)
    parts.push(
      `strongShare ${c.strongShare} of the last ${c.window ?? 2000} decisions, threshold ${fixed} while warming up`,
    );
  if (c.minQuality !== undefined) parts.push(`minQuality ${c.minQuality}`);
  return parts.join('; ');
}

function budgetText(b: RouteSpecView['budgets']): string {
  const limits = [
    b?.dailyUSD !== undefined ? `$${b.dailyUSD}/day` : '',
    b?.monthlyUSD !== undefined ? `$${b.monthlyUSD}/month` : '',
  ].filter(Boolean);
  if (limits.length === 0) return '<none>';
  return `${limits.join(', ')} (then ${b?.onExceeded ?? 'self-hosted-only'})`;
}

export function renderProvider(o: DescribedProvider): string {
  const spec = o.spec ?? {};
  const ref = spec.apiKeySecretRef;
  const models = spec.models ?? [];
  const lines = [
    ...header(o),
    `Type:         ${spec.type ?? ''}`,
    `Base URL:     ${spec.baseURL ?? '<the provider default>'}`,
    `API key:      ${ref?.name ? `Secret ${ref.name}, key ${ref.key ?? 'api-key'}` : '<none>'}`,
  ];
  return (
    lines.join('\n') +
    '\nModels:\n' +
    indent(
      renderTable(
        ['MODEL', 'INPUT $/1M', 'OUTPUT $/1M', 'CONTEXT'],
        models.map((m) => [
          m.name,
          m.inputUSDPer1M ?? '',
          m.outputUSDPer1M ?? '',
          m.contextWindow ?? '',
        ]),
      ),
    ) +
    conditionsBlock(o.status?.conditions)
  );
}
