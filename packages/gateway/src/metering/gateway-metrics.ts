import { Counter, Gauge, Registry } from 'prom-client';
import { SummedHistogram } from './summed-histogram.js';
import type { UsageRecord } from './usage-record.js';

/**
 * Counter increments summed in memory and handed to prom-client when it collects (a scrape):
 * prom-client hashes a label set on every `inc`; here a label set is found by its values in
 * nested Maps (the values are the same string objects request after request, so no string is
 * built or hashed anew). The labels object is made once per label set, from the label names
 * given in order (no closure per increment); the sets are kept across scrapes (their values are
 * bounded: unknown names are one `unknown`, issue 19) and dropped at a scrape once there are too
 * many.
 */
class PendingIncrements<L extends string> {
  private root = new Map<string, unknown>();
  private entries: Entry<L>[] = [];
  // The label set last added to, and its entry: traffic repeats it request after request, and
  // four compares of the same string objects cost less than four Map lookups.
  private lastA: string | undefined;
  private lastB = '';
  private lastC = '';
  private lastD = '';
  private lastEntry: Entry<L> | undefined;

  /** `names`: the label names of values a, b, c (and d), in that order. */
  constructor(private readonly names: readonly L[]) {}

  add(a: string, b: string, c: string, value: number, d = '') {
    if (a === this.lastA && b === this.lastB && c === this.lastC && d === this.lastD) {
      this.lastEntry!.value += value;
      return;
    }
    const m1 = this.level(this.root, a);
    const m2 = this.level(m1, b);
    const m3 = this.level(m2, c);
    let e = m3.get(d) as Entry<L> | undefined;
    if (!e) {
      const values = [a, b, c, d];
      const labels = {} as Record<L, string>;
      this.names.forEach((n, i) => (labels[n] = values[i]!));
      e = { labels, value: 0 };
      m3.set(d, e);
      this.entries.push(e);
    }
    e.value += value;
    this.lastA = a;
    this.lastB = b;
    this.lastC = c;
    this.lastD = d;
    this.lastEntry = e;
  }

  drainInto(counter: Counter<L>): void {
    for (const e of this.entries)
      if (e.value !== 0) {
        if (Number.isFinite(e.value)) counter.inc(e.labels, e.value);
        e.value = 0;
      }
    if (this.entries.length > 10_000) {
      this.root = new Map();
      this.entries = [];
      this.lastA = undefined;
      this.lastEntry = undefined;
    }
  }

  private level(m: Map<string, unknown>, k: string): Map<string, unknown> {
    let n = m.get(k) as Map<string, unknown> | undefined;
    if (!n) m.set(k, (n = new Map()));
    return n;
  }
}

interface Entry<L extends string> {
  labels: Record<L, string>;
  value: number;
}

/** HTTP status codes as label text, made once. */
const STATUS_TEXT: Record<number, string> = {};
for (let c = 100; c < 600; c++) STATUS_TEXT[c] = String(c);

/** The gateway's Prometheus metrics, in a registry of its own (no global state). */
export class GatewayMetrics {
  readonly registry: Registry;
  private readonly requests: Counter<'route' | 'target' | 'reason' | 'code'>;
  private readonly tokens: Counter<'route' | 'target' | 'direction'>;
  private readonly cost: Counter<'route' | 'target' | 'kind'>;
  private readonly overflow: Counter<'route' | 'reason'>;
  private readonly overflowedFrom: Counter<'model' | 'reason'>;
  private readonly privacy: Counter<'route' | 'class' | 'action'>;
  private readonly ttft: SummedHistogram;
  private readonly duration: SummedHistogram;
  private readonly overhead: SummedHistogram;
  private readonly adapterRequests: Counter<'model' | 'adapter' | 'code'>;
  private readonly adapterTokens: Counter<'model' | 'adapter' | 'direction'>;
  private readonly adapterCost: Counter<'model' | 'adapter'>;

  private readonly pendingRequests = new PendingIncrements([
    'route',
    'target',
    'reason',
    'code',
  ] as const);
  // Input and output apart: each keeps its last label set (one PendingIncrements would switch
  // between the two on every request).
  private readonly pendingInput = new PendingIncrements(['route', 'target', 'direction'] as const);
  private readonly pendingOutput = new PendingIncrements(['route', 'target', 'direction'] as const);
  private readonly pendingCost = new PendingIncrements(['route', 'target', 'kind'] as const);

  constructor(inFlight: () => ReadonlyMap<string, number>, registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    const { pendingRequests, pendingInput, pendingOutput, pendingCost } = this;
    this.requests = new Counter({
      name: 'bascule_gateway_requests_total',
      help: 'Requests answered, by route, target, route reason and HTTP status code.',
      labelNames: ['route', 'target', 'reason', 'code'],
      registers,
      collect() {
        pendingRequests.drainInto(this);
      },
    });
    this.tokens = new Counter({
      name: 'bascule_gateway_tokens_total',
      help: 'Tokens by direction (input, output).',
      labelNames: ['route', 'target', 'direction'],
      registers,
      collect() {
        pendingInput.drainInto(this);
        pendingOutput.drainInto(this);
      },
    });
    this.cost = new Counter({
      name: 'bascule_gateway_cost_usd_total',
      help: 'Metered cost in USD: provider list prices, or GPU time for self-hosted targets.',
      labelNames: ['route', 'target', 'kind'],
      registers,
      collect() {
        pendingCost.drainInto(this);
      },
    });
    this.overflow = new Counter({
      name: 'bascule_gateway_overflow_total',
      help: 'Requests that overflowed past a target, by reason (saturated, cold-start, ...).',
      labelNames: ['route', 'reason'],
      registers,
    });
    this.overflowedFrom = new Counter({
      name: 'bascule_gateway_overflowed_from_total',
      help: 'Requests that overflowed away from a self-hosted Model, by Model and reason.',
      labelNames: ['model', 'reason'],
      registers,
    });
    this.privacy = new Counter({
      name: 'bascule_gateway_privacy_detections_total',
      help: "Requests in which a Route's privacy.detect class fired, by class and the action taken (keep, redact, refuse).",
      labelNames: ['route', 'class', 'action'],
      registers,
    });
    // adapter label values come only from declared adapters (the router resolves no other name)
    this.adapterRequests = new Counter({
      name: 'bascule_gateway_adapter_requests_total',
      help: 'Requests that ran with a LoRA adapter, by base Model, adapter and HTTP status code.',
      labelNames: ['model', 'adapter', 'code'],
      registers,
    });
    this.adapterTokens = new Counter({
      name: 'bascule_gateway_adapter_tokens_total',
      help: 'Tokens of requests that ran with a LoRA adapter, by direction (input, output).',
      labelNames: ['model', 'adapter', 'direction'],
      registers,
    });
    this.adapterCost = new Counter({
      name: 'bascule_gateway_adapter_cost_usd_total',
      help: 'Metered GPU-time cost in USD of requests that ran with a LoRA adapter.',
      labelNames: ['model', 'adapter'],
      registers,
    });
    new Gauge({
      name: 'bascule_gateway_in_flight_requests',
      help: 'Requests in flight to each self-hosted Model from this gateway.',
      labelNames: ['model'],
      registers,
      collect() {
        this.reset();
        for (const [m, n] of inFlight()) this.set({ model: m }, n);
      },
    });
    this.ttft = new SummedHistogram(
      'bascule_gateway_time_to_first_token_seconds',
      'Time from request arrival to the first streamed byte.',
      [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      'target',
      registry,
    );
    this.duration = new SummedHistogram(
      'bascule_gateway_request_duration_seconds',
      'Time from request arrival to the last byte.',
      [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      'target',
      registry,
    );
    this.overhead = new SummedHistogram(
      'bascule_gateway_overhead_seconds',
      'Time spent in the gateway itself (parsing, routing, relaying), excluding upstream time.',
      [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      undefined,
      registry,
    );
  }

  record(r: UsageRecord): void {
    const { route, target } = r;
    const code = STATUS_TEXT[r.status] ?? String(r.status);
    this.pendingRequests.add(route, target, r.reason, 1, code);
    if (r.promptTokens > 0) this.pendingInput.add(route, target, 'input', r.promptTokens);
    if (r.completionTokens > 0) this.pendingOutput.add(route, target, 'output', r.completionTokens);
    if (r.costUSD > 0) this.pendingCost.add(route, target, r.targetKind, r.costUSD);
    if (r.reason.startsWith('overflow:'))
      this.overflow.inc({ route: r.route, reason: r.reason.slice(9) });
    for (const o of r.overflowedFrom ?? [])
      this.overflowedFrom.inc({ model: o.model, reason: o.reason });
    for (const c of r.privacy?.classes ?? [])
      this.privacy.inc({ route: r.route, class: c, action: r.privacy!.action });
    if (r.ttftMs !== undefined) this.ttft.observe(r.ttftMs / 1000, r.target);
    this.duration.observe(r.latencyMs / 1000, r.target);
    this.overhead.observe(r.overheadMs / 1000);
    if (r.adapter !== undefined) {
      const a = { model: r.target, adapter: r.adapter };
      this.adapterRequests.inc({ ...a, code: String(r.status) });
      if (r.promptTokens > 0) this.adapterTokens.inc({ ...a, direction: 'input' }, r.promptTokens);
      if (r.completionTokens > 0)
        this.adapterTokens.inc({ ...a, direction: 'output' }, r.completionTokens);
      if (r.costUSD > 0) this.adapterCost.inc(a, r.costUSD);
    }
  }
}
