/**
 * One request's usage record: who asked (key, tenant), what served it and what it cost, written
 * once when the request ends (metering, the access log, Route budgets, learning's served hook).
 */
import type { PromptSample, RoutingCatalog } from '@bascule/router';
import { providerCostUSD, selfHostedCostUSD, UNKNOWN_NAME } from '@bascule/router';
import type { Route } from '@bascule/spec';
import type { RouteBudgetLedger } from '../budgets/route-budget-ledger.js';
import { answerText } from '../learning/answer-text.js';
import type { LearningHook } from '../learning/learning-hook.js';
import type { UsageRecord } from '../metering/usage-record.js';
import { ANONYMOUS, type Principal } from './principal.js';
import { overheadNow, type RequestState } from './request-state.js';

export interface MeterDeps {
  /** Every answered request, once; `prompt` only when logPrompts is set (the access log's). */
  meter: (r: UsageRecord, prompt?: string) => void;
  /** Extract the prompt text for meter (BASCULE_ACCESS_LOG_PROMPTS; off by default). */
  logPrompts?: boolean;
  /** Closed-API spend per Route, for Routes with `budgets`. */
  routeBudgets: RouteBudgetLedger;
  learning?: LearningHook;
}

export class RequestMeter {
  principal: Principal = ANONYMOUS;
  /** The Route or Model name as usage records it (UNKNOWN_NAME for a name nothing defines). */
  routeName = '';
  /** The Route whose budget this request's closed-API cost counts against. */
  budgetRoute: string | undefined;
  /** Refused for its key's limits or budget (still that key's request in usage). */
  refused = false;
  learnFrom: { route: Route; catalog: RoutingCatalog; sample: PromptSample } | undefined;
  /** The record written (the request span's closing attributes come from it). */
  answered: UsageRecord | undefined;

  constructor(
    private readonly deps: MeterDeps,
    readonly endpoint: string,
    readonly requestId: string,
    /** `x-bascule-shadow: {ns}/{route}`: a shadow or judge call, metered as that Route's shadow. */
    readonly shadowOf: string | undefined,
    readonly t0: number,
    readonly at: number,
  ) {}

  /** A request answered before it had a RequestState (refused, bad input, gone). */
  failure(status: number): void {
    const ms = performance.now() - this.t0;
    this.record({
      key: this.principal.keyId,
      route: this.routeName || UNKNOWN_NAME,
      target: 'none',
      targetKind: 'none',
      reason: 'rejected',
      status,
      promptTokens: 0,
      completionTokens: 0,
      latencyMs: ms,
      overheadMs: ms,
      costUSD: 0,
      at: this.at,
      ...(this.refused ? { refused: true } : {}),
      ...(this.shadowOf !== undefined ? { shadowOf: this.shadowOf } : {}),
    });
  }

  /** A request that was routed: its target, tokens, cost; `cancelled` when the client left. */
  request(st: RequestState, cancelled: boolean): void {
    const { deps, at } = this;
    const target = st.target;
    const pt = st.usage?.promptTokens ?? 0;
    const ct = st.usage?.completionTokens ?? 0;
    const cost =
      target === undefined || st.status >= 400
        ? 0
        : target.kind === 'provider'
          ? providerCostUSD(target.providerModel, pt, ct)
          : selfHostedCostUSD(target.model, st.held.heldMs, st.held.sharedWith);
    if (this.budgetRoute !== undefined && target?.kind === 'provider' && cost > 0)
      deps.routeBudgets.add(this.budgetRoute, cost, new Date(at));
    const learnFrom = this.learnFrom;
    if (learnFrom && target && st.status === 200 && this.requestId)
      deps.learning?.served({
        requestId: this.requestId,
        route: learnFrom.route,
        catalog: learnFrom.catalog,
        target,
        ...(st.routing.complexity !== undefined ? { score: st.routing.complexity } : {}),
        sample: learnFrom.sample,
        key: this.principal.keyId,
        // Sensitive content never goes to a shadow or judge call outside the cluster.
        privacyStrict: st.routing.privacyStrict === true || st.routing.privacy !== undefined,
        messages: messagesOf(st.parsed.body),
        ...(st.responseText !== undefined ? { answer: answerText(String(st.responseText)) } : {}),
        at,
      });
    // Built by assignment (no object spread per optional field): this runs on every request.
    const r: UsageRecord = {
      key: this.principal.keyId,
      route: this.routeName,
      target: target?.name ?? 'none',
      targetKind: target?.kind ?? 'none',
      reason: st.reason,
      status: st.status || 499,
      promptTokens: pt,
      completionTokens: ct,
      latencyMs: performance.now() - this.t0,
      overheadMs: st.overheadMs ?? overheadNow(st),
      costUSD: cost,
      at,
    };
    if (target?.kind === 'model' && target.adapter !== undefined) r.adapter = target.adapter;
    if (st.ttftMs !== undefined) r.ttftMs = st.ttftMs;
    if (this.shadowOf !== undefined) r.shadowOf = this.shadowOf;
    if (st.routing.privacy) r.privacy = st.routing.privacy;
    if (cancelled) r.cancelled = true;
    if (st.overflowedFrom) r.overflowedFrom = st.overflowedFrom;
    this.record(r, deps.logPrompts ? promptText(st.parsed.body) : undefined);
  }

  private record(r: UsageRecord, prompt?: string): void {
    if (this.requestId) r.requestId = this.requestId;
    if (this.principal.tenant !== undefined) r.tenant = this.principal.tenant;
    r.endpoint = this.endpoint;
    this.answered = r;
    this.deps.meter(r, prompt);
  }
}

/** The prompt as text (only for an access log with prompts explicitly enabled). */
function promptText(body: unknown): string {
  const b = body as { input?: unknown };
  if (b.input !== undefined && (body as { messages?: unknown }).messages === undefined)
    return typeof b.input === 'string' ? b.input : JSON.stringify(b.input);
  return messagesOf(body)
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n');
}

/** The request as messages (a completion prompt becomes one user message). */
function messagesOf(body: unknown): { role: string; content: unknown }[] {
  const b = body as { messages?: { role: string; content: unknown }[]; prompt?: unknown };
  if (Array.isArray(b.messages))
    return b.messages.map((m) => ({ role: m.role, content: m.content }));
  const p = Array.isArray(b.prompt)
    ? b.prompt.filter((x) => typeof x === 'string').join('\n')
    : typeof b.prompt === 'string'
      ? b.prompt
      : '';
  return [{ role: 'user', content: p }];
}
