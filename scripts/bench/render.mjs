// Markdown for `pnpm bench`: the machine, then one section per benchmark (figures, and ratios
// where the benchmark compares things side by side). Generic fallback: scalars as a key/value
// table, arrays of objects as tables.

import { REPLAY_COST_CHART, replayChartFile } from './replay-charts.mjs';

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

const fmt = (v, digits = 2) => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return v.toLocaleString('en-US');
    const a = Math.abs(v);
    return v.toLocaleString('en-US', { maximumFractionDigits: a >= 100 ? 0 : a >= 1 ? digits : 4 });
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v).replace(/\|/g, '\\|');
};
const ratio = (a, b) => (a > 0 && b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');

function table(headers, rows) {
  const lines = [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.map((c) => fmt(c)).join(' | ')} |`);
  return lines.join('\n');
}

/** Scalars (flattening one level of nested objects) as a table; arrays of objects as tables. */
function generic(result) {
  const out = [];
  if (Array.isArray(result)) {
    if (result.every((r) => r && typeof r === 'object')) {
      const keys = [...new Set(result.flatMap((r) => Object.keys(r)))];
      out.push(
        table(
          keys,
          result.map((r) => keys.map((k) => r[k])),
        ),
      );
    }
    return out.join('\n\n');
  }
  const scalars = [];
  const arrays = [];
  for (const [k, v] of Object.entries(result)) {
    if (Array.isArray(v) && v.every((x) => x && typeof x === 'object')) arrays.push([k, v]);
    else if (v && typeof v === 'object' && !Array.isArray(v))
      for (const [k2, v2] of Object.entries(v)) scalars.push([`${k}.${k2}`, v2]);
    else scalars.push([k, v]);
  }
  if (scalars.length) out.push(table(['Figure', 'Value'], scalars));
  for (const [k, v] of arrays) out.push(`\`${k}\`:\n\n${generic(v)}`);
  return out.join('\n\n');
}

/**
 * A target against the bare proxy: the median of each round's ratio to the proxy's run beside
 * it, with the lowest and highest round (older runs have only medians: their ratio).
 */
function vsProxy(x, proxy, what) {
  const r = what === 'rps' ? x.rpsVsProxy : x.cpuVsProxy;
  if (!r) return what === 'rps' ? ratio(x.rps, proxy.rps) : ratio(x.cpuUsPerReq, proxy.cpuUsPerReq);
  return `${r.median.toFixed(2)}x (${r.min.toFixed(2)}-${r.max.toFixed(2)})`;
}

function gatewayOverhead(results) {
  const out = [];
  const find = (kind, mode, target, connections) =>
    results.find(
      (r) =>
        r.kind === kind &&
        r.mode === mode &&
        r.target === target &&
        (connections === undefined || r.connections === connections),
    );
  for (const mode of ['non-streaming', 'streaming']) {
    const rows = [];
    for (const c of [1, 10, 100]) {
      const d = find('closed-loop', mode, 'direct', c);
      const p = find('closed-loop', mode, 'bare-proxy', c);
      const g = find('closed-loop', mode, 'gateway', c);
      if (!d || !p || !g) continue;
      // As deployed: keys, limits and budgets in Redis, usage metered (absent in older runs).
      const k = find('closed-loop', mode, 'gateway-deployed', c);
      rows.push([
        c,
        d.rps,
        p.rps,
        g.rps,
        k ? k.rps : '',
        vsProxy(g, p, 'rps'),
        k ? vsProxy(k, p, 'rps') : '',
        `${fmt(g.p50Ms)} / ${fmt(g.p99Ms)}`,
        k ? `${fmt(k.p50Ms)} / ${fmt(k.p99Ms)}` : '',
        `${fmt(p.cpuUsPerReq, 0)} / ${fmt(g.cpuUsPerReq, 0)}${k ? ` / ${fmt(k.cpuUsPerReq, 0)}` : ''}`,
        k ? vsProxy(k, p, 'cpu') : '',
      ]);
    }
    const paced = ['direct', 'bare-proxy', 'gateway', 'gateway-deployed'].map((t) =>
      find('paced', mode, t),
    );
    if (paced.slice(0, 3).every(Boolean))
      rows.push([
        'paced ~1,000/s',
        `p99 ${fmt(paced[0].p99Ms)} ms`,
        `p99 ${fmt(paced[1].p99Ms)} ms`,
        `p99 ${fmt(paced[2].p99Ms)} ms (p50 ${fmt(paced[2].p50Ms)})`,
        paced[3] ? `p99 ${fmt(paced[3].p99Ms)} ms (p50 ${fmt(paced[3].p50Ms)})` : '',
        `+${fmt(paced[2].p50Ms - paced[0].p50Ms)} ms p50`,
        paced[3] ? `+${fmt(paced[3].p50Ms - paced[0].p50Ms)} ms p50` : '',
        '',
        '',
        '',
        '',
      ]);
    const d1 = find('closed-loop', mode, 'direct', 1);
    const k1 = find('closed-loop', mode, 'gateway-deployed', 1);
    const p1 = find('closed-loop', mode, 'bare-proxy', 1);
    const fd = find('fixed-rate', mode, 'direct');
    const fk = find('fixed-rate', mode, 'gateway-deployed');
    const added = [];
    // The bare proxy's own addition beside it: the floor a Node proxy has on this machine.
    const signed = (v, digits) => `${v < 0 ? '-' : '+'}${fmt(Math.abs(v), digits)}`;
    const over = (x) =>
      `p50 ${signed((x.p50Ms - d1.p50Ms) * 1000, 0)} µs, p99 ${signed(x.p99Ms - d1.p99Ms)} ms`;
    if (d1 && k1)
      added.push(
        `added over direct at 1 connection, as deployed: ${over(k1)}${p1 ? ` (the bare proxy: ${over(p1)})` : ''}`,
      );
    // A/A: a second bare proxy, identical to the first (absent in older runs). What two identical
    // processes differ by in this run is the floor under every ratio in the table.
    const twins = [1, 10, 100]
      .map((c) => [c, find('closed-loop', mode, 'bare-proxy-twin', c)])
      .filter(([, t]) => t?.rpsVsProxy);
    if (twins.length)
      added.push(
        `A/A check, a second bare proxy against the first: ${twins.map(([c, t]) => `${vsProxy(t, undefined, 'rps')} req/s and ${vsProxy(t, undefined, 'cpu')} CPU at ${c}`).join(', ')} connection${twins.length > 1 ? 's' : ''}`,
      );
    const fp = find('fixed-rate', mode, 'bare-proxy');
    const ttft = (x) =>
      `p50 ${signed(x.ttftP50Ms - fd.ttftP50Ms)} ms, p99 ${signed(x.ttftP99Ms - fd.ttftP99Ms)} ms`;
    if (fd && fk && mode === 'streaming')
      added.push(
        `time to first byte at 1,000 req/s over direct, as deployed: ${ttft(fk)}${fp ? ` (the bare proxy: ${ttft(fp)})` : ''}`,
      );
    out.push(
      `${mode === 'streaming' ? 'Streaming (SSE)' : 'Non-streaming'} (gateway: keys off; deployed: keys, limits and budgets in Redis, metering on):\n\n` +
        table(
          [
            'Connections',
            'direct req/s',
            'bare-proxy req/s',
            'gateway req/s',
            'deployed req/s',
            'gateway / proxy',
            'deployed / proxy',
            'gateway p50 / p99 ms',
            'deployed p50 / p99 ms',
            'CPU µs/req proxy / gateway / deployed',
            'CPU deployed / proxy',
          ],
          rows,
        ) +
        (added.length ? `\n\n${added.join('; ')}.` : ''),
    );
  }
  const verdicts = targetVerdicts(find);
  if (verdicts) out.push(verdicts);
  const mem = results.filter((r) => r.kind === 'memory');
  const express = results.filter((r) => r.target === 'gateway-express');
  const extra = [];
  for (const m of mem) extra.push(`${m.target} peak RSS under load ${fmt(m.peakRssMiB, 1)} MiB`);
  if (express.length)
    extra.push(
      `express on the hot path: ${express.map((e) => `${fmt(e.rps)} req/s at ${e.connections}`).join(', ')} connections`,
    );
  if (extra.length) out.push(`${extra.join('; ')}.`);
  return out.join('\n\n');
}

/**
 * The gateway's performance targets (issue 19), each judged on this run. A figure is the median
 * of the rounds' figures (a ratio to the bare proxy's run beside it, or latency added over the
 * direct run beside it), with an interval that holds the median of all such figures with a known
 * probability whatever their distribution (test/bench/gateway/median-interval.ts: 96% for 9
 * rounds). A target is `met` or `missed` only when that whole interval is on one side of it,
 * else `undecided`: the run cannot tell. Beside each, what the bare proxy scores on the same
 * measure (for a ratio, the A/A twin's): the floor the machine leaves (ADR 0038). Runs recorded
 * before latency had rounds judge it on one figure.
 */
function targetVerdicts(find) {
  const rows = [];
  const ratio = (v) => `${v.toFixed(2)}x`;
  const us = (v) => `${fmt(v, 0)} µs`;
  const ms = (v) => `${fmt(v, 2)} ms`;
  const judge = (name, r, show, atLeast, bound, floor) => {
    if (!r) return;
    // Ratios are bounded inclusively (issue 19: ≥ 0.8x, ≤ 1.2x), latencies strictly (< 150 µs).
    const strict = show !== ratio;
    const ok = (v) => (atLeast ? v >= bound : strict ? v < bound : v <= bound);
    const { lo, hi, coverage } = r;
    const verdict = ok(lo) && ok(hi) ? 'met' : !ok(lo) && !ok(hi) ? 'missed' : 'undecided';
    rows.push([
      name,
      `${atLeast ? '≥' : strict ? '<' : '≤'} ${show(bound)}`,
      show(r.median),
      `${show(lo)} to ${show(hi)} (${Math.round(coverage * 100)}%, ${r.rounds} rounds${r.processes > 1 ? ` of ${r.processes} processes` : ''})`,
      verdict,
      floor ? `${show(floor.median)} (${show(floor.lo)} to ${show(floor.hi)})` : '',
    ]);
  };
  // Older runs: a latency is one figure.
  const single = (name, v, bound, show, floor) =>
    rows.push([
      name,
      `< ${show(bound)}`,
      show(v),
      'one figure',
      v < bound ? 'met' : 'missed',
      floor === undefined ? '' : show(floor),
    ]);
  const rounds = (x, key) => x?.[key] && { ...x[key], rounds: x.rounds, processes: x.processes };
  const ns = (target, c) => find('closed-loop', 'non-streaming', target, c);
  for (const c of [10, 100]) {
    const k = ns('gateway-deployed', c);
    const twin = ns('bare-proxy-twin', c);
    judge(
      `deployed req/s / proxy, ${c} connections`,
      rounds(k, 'rpsVsProxy'),
      ratio,
      true,
      0.8,
      twin?.rpsVsProxy,
    );
    judge(
      `deployed CPU / proxy, ${c} connections`,
      rounds(k, 'cpuVsProxy'),
      ratio,
      false,
      1.2,
      twin?.cpuVsProxy,
    );
  }
  for (const c of [10, 100])
    judge(
      `keys off req/s / proxy, ${c} connections`,
      rounds(ns('gateway', c), 'rpsVsProxy'),
      ratio,
      true,
      0.95,
      ns('bare-proxy-twin', c)?.rpsVsProxy,
    );
  const d1 = ns('direct', 1);
  const k1 = ns('gateway-deployed', 1);
  const p1 = ns('bare-proxy', 1);
  if (k1?.addedP50Us) {
    judge(
      'added over direct at 1 connection, p50',
      rounds(k1, 'addedP50Us'),
      us,
      false,
      150,
      p1?.addedP50Us,
    );
    judge(
      'added over direct at 1 connection, p99',
      rounds(k1, 'addedP99Ms'),
      ms,
      false,
      1,
      p1?.addedP99Ms,
    );
  } else if (d1 && k1) {
    const p50 = (x) => x && (x.p50Ms - d1.p50Ms) * 1000;
    const p99 = (x) => x && x.p99Ms - d1.p99Ms;
    single('added over direct at 1 connection, p50', p50(k1), 150, us, p50(p1));
    single('added over direct at 1 connection, p99', p99(k1), 1, ms, p99(p1));
  }
  const fd = find('fixed-rate', 'streaming', 'direct');
  const fk = find('fixed-rate', 'streaming', 'gateway-deployed');
  const fp = find('fixed-rate', 'streaming', 'bare-proxy');
  if (fk?.addedTtftP99Ms)
    judge(
      'streaming first byte added at 1,000/s, p99',
      rounds(fk, 'addedTtftP99Ms'),
      ms,
      false,
      1,
      fp?.addedTtftP99Ms,
    );
  else if (fd && fk)
    single(
      'streaming first byte added at 1,000/s, p99',
      fk.ttftP99Ms - fd.ttftP99Ms,
      1,
      ms,
      fp && fp.ttftP99Ms - fd.ttftP99Ms,
    );
  if (!rows.length) return '';
  return (
    "Targets (issue 19), judged on this run (non-streaming unless named): each figure is the median of the rounds' figures, and a target is met or missed only when its interval (the median of such figures lies in it with the probability shown, whatever their distribution) is wholly on one side of the goal; otherwise this run cannot tell (undecided). The last column is the bare proxy on the same measure (for a ratio, a second bare proxy's against the first): what the machine leaves a Node proxy.\n\n" +
    table(
      ['Target', 'Goal', 'This run', 'Interval (coverage)', 'Verdict', 'Bare proxy (floor)'],
      rows,
    )
  );
}

function queueThroughput(r) {
  const rows = [
    ['raw BullMQ add', r.raw_bullmq_add_per_s, ''],
    ['raw BullMQ process (empty processor)', r.raw_bullmq_process_per_s, ''],
    ['raw BullMQ add then process', r.raw_bullmq_add_then_process_per_s, '1.00x'],
    [
      'ours, batch, instant executor (intake + process + finalise)',
      r.ours_batch_instant_executor_per_s,
      ratio(r.ours_batch_instant_executor_per_s, r.raw_bullmq_add_then_process_per_s),
    ],
    [
      'ours, batch through gateway to engine-sim',
      r.ours_batch_via_gateway_engine_per_s,
      ratio(r.ours_batch_via_gateway_engine_per_s, r.raw_bullmq_add_then_process_per_s),
    ],
    ['ours, batch lines accepted', r.ours_batch_accept_per_s, ''],
    ['ours, async jobs accepted over HTTP', r.ours_async_jobs_accepted_per_s, ''],
    ['ours, async jobs completed', r.ours_async_jobs_completed_per_s, ''],
  ];
  return (
    `${fmt(r.jobs)} jobs.\n\n` +
    table(['Path', 'jobs/s', 'vs raw add-then-process'], rows) +
    `\n\nOverhead per job against raw add-then-process: ${fmt(r.overhead_ms_per_job_vs_raw, 3)} ms; ` +
    `ours (instant executor) / raw process-only: ${fmt(r.ratio_instant_vs_raw_process_only)}x (goal for like-for-like: >= 0.5x).`
  );
}

const pc = (x, d = 1) => (x === undefined ? '' : `${(x * 100).toFixed(d)}%`);
const ci = (x, scale = 1, d = 2) =>
  x ? `${(x.mean * scale).toFixed(d)}${x.n > 1 ? ` ± ${(x.ci * scale).toFixed(d)}` : ''}` : '';

function replay(r) {
  const out = [];
  const sc = r.scenario;
  if (sc)
    out.push(
      `Scenario (the defaults of \`pnpm sim replay\`, no retuning per trace): ${sc.model} on ${sc.gpus} per replica, ` +
        `$${sc.gpuHourUSD}/GPU-h, up to ${sc.gpuBudget} GPUs, maxConcurrency ${sc.maxConcurrency} (autoscaler target ${sc.targetInFlight} in flight), ` +
        `cold start ${sc.coldStartS} s, scale down after ${sc.scaleDownDelay}, to zero after ${sc.scaleToZeroDelay}; overflow to ${sc.closedApi}. ` +
        `The autoscaler starts warm at what the trace's first minute needs (never above fixed-peak's count), as the fixed sizes start warm at theirs.` +
        (sc.overflowCost
          ? ` The Model states the closed API's token prices as \`autoscaling.overflowCost\`, so the autoscaler's cost rule is on (ADR 0017).`
          : ''),
      `**SLO** (the SLO column): a request meets it when its time to first token is within ` +
        (sc.sloTtftPerPromptTokenMs
          ? `max(${fmt(sc.sloTtftMs / 1000)} s, ${sc.sloTtftPerPromptTokenMs} ms x prompt tokens) (a flat ${fmt(sc.sloTtftMs / 1000)} s up to ${fmt(Math.round(sc.sloTtftMs / sc.sloTtftPerPromptTokenMs))} prompt tokens; the allowance is 3x the unloaded prefill rate of both the simulated replica and the modelled closed API, because a long prompt's prefill alone takes seconds on any server)`
          : `${fmt(sc.sloTtftMs / 1000)} s`) +
        ` and its mean time per output token within ${sc.sloTpotMs} ms; requests sent to the closed API count too. ` +
        `_Misses TTFT / TPOT_ counts the requests over each bound. _Overflow_: requests the Route moved to the closed API for lack of capacity ` +
        `(prompts longer than the Model's context go to the closed API under every policy and are not overflow). ` +
        `_Prefix hits_: prompt tokens found in the replicas' prefix caches over prompt tokens looked up. ` +
        `Ratios are against fixed-peak, the count that covers the trace's peak.`,
    );
  if ((r.shapes ?? []).length) {
    const rows = r.shapes.map((s) => {
      const a = s.policies.find((p) => p.policy === 'autoscaler');
      const peak = s.policies.find((p) => p.policy === 'fixed-peak');
      return [
        s.shape,
        s.seeds,
        `${ci(a?.sloAttainment, 100, 1)}%`,
        `${ci(peak?.sloAttainment, 100, 1)}%`,
        `${ci(s.goal.gpuVsPeak)}x (≤ ${s.gpuLimit})`,
        `${ci(s.goal.costVsMean)}x`,
        `${ci(a?.overflowShare, 100, 1)}%`,
        ci(a?.scaleEvents, 1, 1),
        `${s.goal.sloMet}/${s.seeds}, ${s.goal.gpuMet}/${s.seeds}, ${s.goal.costMet}/${s.seeds}`,
      ];
    });
    out.push(
      `**Every shape, several seeds** (mean ± 95% confidence interval across seeds; the goal per trace: ` +
        `SLO ≥ 99% wherever fixed-peak reaches it, GPU-hours ≤ fixed-peak's (≤ 0.85x on the burstiest), ` +
        `total $ ≤ fixed-mean's total, which includes its overflow):\n\n` +
        table(
          [
            'Trace or shape',
            'Seeds',
            'Autoscaler SLO',
            'Fixed-peak SLO',
            'GPU-h vs fixed-peak',
            'Total $ vs fixed-mean',
            'Autoscaler overflow',
            'Scale events',
            'Goal met: SLO, GPU, $',
          ],
          rows,
        ),
    );
  }
  if ((r.balancing ?? []).length) {
    const rows = r.balancing.map((b) => [
      b.trace,
      b.balancing,
      b.policy,
      pc(b.sloAttainment),
      b.ttftP50Ms,
      b.ttftP90Ms,
      pc(b.prefixHitRate),
      b.gpuHours,
    ]);
    out.push(
      `**Load balancing on the shared-prefix traces** (the gateway's own picker: least outstanding, ` +
        `or prefix affinity by consistent hashing of the leading prompt with bounded load; ` +
        `256 characters is the default \`loadBalancing.prefixLength\`):\n\n` +
        table(
          [
            'Trace',
            'Balancing',
            'Policy',
            'SLO',
            'TTFT p50 ms',
            'TTFT p90 ms',
            'Prefix hits',
            'GPU-h',
          ],
          rows,
        ),
    );
  }
  if ((r.results ?? []).length)
    out.push(
      `![GPU-hours and total cost per policy relative to fixed-peak](img/${REPLAY_COST_CHART})`,
    );
  for (const t of r.results ?? []) {
    const name = t.trace?.name ?? 'trace';
    const peak = t.rows.find((x) => x.policy === 'fixed-peak');
    const rows = t.rows.map((x) => [
      x.policy,
      x.replicas,
      `${(x.sloAttainment * 100).toFixed(1)}%`,
      x.sloMisses ? `${fmt(x.sloMisses.ttft)} / ${fmt(x.sloMisses.tpot)}` : '',
      x.ttftP50Ms,
      x.ttftP90Ms ?? '',
      x.ttftP99Ms,
      x.gpuHours,
      peak ? ratio(x.gpuHours, peak.gpuHours) : '',
      x.closedApiCostUSD,
      x.totalCostUSD,
      peak ? ratio(x.totalCostUSD, peak.totalCostUSD) : '',
      `${(x.overflowShare * 100).toFixed(1)}%`,
      x.prefixHitRate === undefined ? '' : pc(x.prefixHitRate),
      x.scaleEvents,
    ]);
    const chart = t.series?.t?.length
      ? `\n\n![${name}: offered load, overflow and replicas over time](img/${replayChartFile(name)})`
      : '';
    const g = t.goal ?? {};
    const goal =
      g.gpuVsPeak !== undefined
        ? `Goal: SLO ${fmt(g.slo)}, GPU-hours ${g.gpuVsPeak.toFixed(2)}x fixed-peak (${fmt(g.gpu)}), total $ ${g.costVsMean.toFixed(2)}x fixed-mean (${fmt(g.cost)}).`
        : `Goal met: SLO >= 99% ${fmt(g.slo99)}, fewer GPU-hours than fixed-peak ${fmt(g.fewerGpuHoursThanPeak)}, less API spend than fixed-mean ${fmt(g.lessApiSpendThanMean)}.`;
    out.push(
      `**${name}** (${fmt(t.trace?.requests)} requests, ${fmt((t.trace?.durationS ?? 0) / 60, 1)} min; ` +
        `fixed-peak ${t.sizing?.peak}, fixed-mean ${t.sizing?.mean} replicas; autoscaler replay ${fmt(t.autoscalerReplayMs, 0)} ms):` +
        chart +
        '\n\n' +
        table(
          [
            'Policy',
            'Replicas',
            'SLO',
            'Misses TTFT / TPOT',
            'TTFT p50 ms',
            'TTFT p90 ms',
            'TTFT p99 ms',
            'GPU-h',
            'GPU-h vs fixed-peak',
            'API $',
            'Total $',
            'Total $ vs fixed-peak',
            'Overflow',
            'Prefix hits',
            'Scale events',
          ],
          rows,
        ) +
        `\n\n${goal}`,
    );
  }
  return out.join('\n\n');
}

function routingCost(results, all) {
  // The baseline: the gateway's CPU per request in the same run (non-streaming, 100 connections).
  const gw = all
    .find((b) => b.name === 'gateway-overhead' && b.status === 'ok')
    ?.result?.find(
      (x) =>
        x.kind === 'closed-loop' &&
        x.mode === 'non-streaming' &&
        x.target === 'gateway' &&
        x.connections === 100,
    );
  const base = gw?.cpuUsPerReq;
  const batch = results.filter((x) => x.p99Us === undefined);
  const single = results.filter((x) => x.p99Us !== undefined);
  const rows = batch.map((x) => [
    x.name,
    x.usPerCall,
    x.calls,
    base ? `${((x.usPerCall / base) * 100).toFixed(1)}%` : 'n/a',
  ]);
  return (
    table(['Call', 'CPU µs per call', 'calls', 'share of the gateway CPU per request'], rows) +
    (base
      ? `\n\nThe share is against the gateway's CPU time per non-streaming request at 100 connections in the gateway benchmark above (${fmt(base, 0)} µs).`
      : '') +
    (single.length
      ? '\n\nThe default (learned) scorer call by call (budget: p99 ≤ 50 µs at 4,000 characters). Wall time includes preemption by other load on the machine; CPU time (getrusage around each call, so it includes those two system calls) does not:\n\n' +
        table(
          ['Call', 'wall p50 µs', 'wall p99 µs', 'CPU p50 µs', 'CPU p99 µs', 'calls'],
          single.map((x) => [
            x.name,
            x.p50Us,
            x.p99Us,
            x.cpuP50Us ?? '',
            x.cpuP99Us ?? '',
            x.calls,
          ]),
        )
      : '')
  );
}

function controllerScale(r) {
  const out = [];
  const perModel = (n) => (Number.isFinite(n) ? fmt(n / r.models) : '');
  out.push(
    `${fmt(r.models)} Models (spec.replicas=${r.replicas}) created at once by 32 concurrent clients, ${r.workers} controller workers; ` +
      `times from the first create. The baseline is how fast the API server (kube-sim) accepted the creates.`,
    table(
      ['Figure', 'Value', 'Ratio or per Model'],
      [
        ['API server creates/s (baseline)', r.apiCreatesPerSecond ?? '', '1.00x'],
        [
          'Models fully reconciled/s (Deployment, Service, status)',
          r.modelsPerSecond,
          ratio(r.modelsPerSecond, r.apiCreatesPerSecond),
        ],
        ['all created, ms', r.createMs, ''],
        [
          'all Deployments, ms (vs all created)',
          r.allDeploymentsMs,
          ratio(r.allDeploymentsMs, r.createMs),
        ],
        ['all Services, ms (vs all created)', r.allServicesMs, ratio(r.allServicesMs, r.createMs)],
        [
          'all statuses written, ms (vs all created)',
          r.allStatusesMs,
          ratio(r.allStatusesMs, r.createMs),
        ],
        [
          'reconciles until then (per Model)',
          r.reconcilesAtScale ?? '',
          perModel(r.reconcilesAtScale),
        ],
        ['mean reconcile, ms', (r.reconcileSeconds?.mean ?? NaN) * 1000, ''],
        ['status writes, whole run (per Model)', r.statusWrites, perModel(r.statusWrites)],
        [
          'controller RSS idle / peak, MiB',
          `${fmt(r.controllerRssMiB?.idle)} / ${fmt(r.controllerRssMiB?.peak)}`,
          ratio(r.controllerRssMiB?.peak, r.controllerRssMiB?.idle),
        ],
      ],
    ),
  );
  const a = r.applyToReady;
  if (a) {
    const share = (x) =>
      a.applyToReadyMs.p50 > 0 ? `${((x / a.applyToReadyMs.p50) * 100).toFixed(0)}%` : '';
    out.push(
      `**Apply to Ready**: ${a.models} more Models with one engine pod each, applied at once; per Model, from its create call to its ` +
        `\`Ready=True\` condition, split by what the watches saw. kube-sim runs ${r.kubeSimTimeScale ?? ''}x faster than real time, so ` +
        `the pod's simulated image pull and model load (minutes on a real GPU node) take about a second here; the controller's steps are not scaled.`,
      table(
        ['Step', 'p50 ms', 'max ms', 'share of p50 total'],
        [
          [
            'apply -> Deployment written (controller)',
            a.applyToDeploymentMs.p50,
            a.applyToDeploymentMs.max,
            share(a.applyToDeploymentMs.p50),
          ],
          [
            'Deployment -> engine pod Ready (kube-sim)',
            a.deploymentToPodReadyMs.p50,
            a.deploymentToPodReadyMs.max,
            share(a.deploymentToPodReadyMs.p50),
          ],
          [
            'pod Ready -> Model Ready=True (controller)',
            a.podReadyToModelReadyMs.p50,
            a.podReadyToModelReadyMs.max,
            share(a.podReadyToModelReadyMs.p50),
          ],
          ['apply -> Model Ready=True', a.applyToReadyMs.p50, a.applyToReadyMs.max, '100%'],
        ],
      ),
    );
  }
  return out.join('\n\n');
}

function kubeSimScale(r) {
  const base = (r.listLatencyMs ?? []).find((c) => c.case === 'all pods (JSON)');
  const scalars = Object.entries(r).filter(([, v]) => typeof v !== 'object' || v === null);
  const w = r.writeToWatchEventMs ?? {};
  const rt = r.writeRoundTripMs ?? {};
  return [
    table(
      ['Figure', 'Value'],
      [...scalars, ['store heap per pod, KiB', r.pods > 0 ? (r.storeHeapMiB * 1024) / r.pods : '']],
    ),
    `List latency (HTTP, ${fmt(r.nodes)} nodes, ${fmt(r.pods)} pods), relative to listing all pods as JSON:`,
    table(
      ['Case', 'bytes', 'p50 ms', 'p99 ms', 'p50 vs all pods JSON', 'bytes vs all pods JSON'],
      (r.listLatencyMs ?? []).map((c) => [
        c.case,
        c.bytes,
        c.p50,
        c.p99,
        base ? ratio(c.p50, base.p50) : '',
        base ? ratio(c.bytes, base.bytes) : '',
      ]),
    ),
    `Write to watch event with ${fmt(r.watchers)} HTTP watchers, against the write's own round trip:`,
    table(
      ['', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'n', 'p50 vs round trip'],
      [
        ['write (PATCH) round trip', rt.p50, rt.p95, rt.p99, rt.max, rt.n, '1.00x'],
        ["write -> each watcher's event", w.p50, w.p95, w.p99, w.max, w.n, ratio(w.p50, rt.p50)],
      ],
    ),
  ].join('\n\n');
}

function kubeSimCluster(r) {
  return [
    generic(r),
    `${fmt(r.replicas)} pods Available in ${fmt(r.createToAvailableMs)} ms (${fmt(Math.round((r.replicas / r.createToAvailableMs) * 1000))} pods/s); ` +
      `a rolling update of all of them took ${ratio(r.rolloutMs, r.createToAvailableMs)} the time of the first rollout ` +
      `(simulated time runs ${fmt(r.timeScale)}x faster than real time).`,
  ].join('\n\n');
}

const SPECIAL = {
  'gateway-overhead': gatewayOverhead,
  'gateway-complexity-scorer': routingCost,
  'router-strengths-calibration': routingCost,
  'controller-scale': controllerScale,
  'kube-sim-scale': kubeSimScale,
  'kube-sim-cluster': kubeSimCluster,
  'queue-throughput': queueThroughput,
  'replay-traces': replay,
};

export function renderGenerated(report) {
  const m = report.machine;
  const parts = [
    '## Latest `pnpm bench` run',
    '',
    '_Generated by `pnpm bench` (scripts/bench.mjs); do not edit between the markers. ' +
      'Raw results: [benchmarks.json](benchmarks.json)._',
    '',
    table(
      ['Machine', ''],
      [
        ['Date', m.date],
        [
          'Mode',
          `${m.mode}${m.mode === 'quick' ? ' (small sizes; `pnpm bench --full` for the large ones)' : ''}`,
        ],
        ['Commit', m.commit ?? 'unknown'],
        ['CPU', `${m.cpuModel}, ${m.cores} cores`],
        ['Memory', `${m.memoryGiB} GiB (${m.freeMemoryGiB} GiB free at start)`],
        ['Node.js', m.node],
        ['OS', m.os],
        ['Load average at start (1/5/15 min)', m.loadAverageAtStart.join(' / ')],
        ['Load average at end', (m.loadAverageAtEnd ?? []).join(' / ')],
        ['wrk', m.wrk ?? 'not installed (wrk-based parts skipped)'],
      ],
    ),
    '',
    'Wall-clock figures depend on the other load on the machine (see the load average); CPU ' +
      'time per request and ratios measured in the same run are the comparable figures.',
  ];
  for (const b of report.benchmarks) {
    parts.push('', `### ${b.title}`, '');
    if (b.run && b.run.date !== m.date)
      parts.push(
        `_Not re-run by this \`pnpm bench --only\`: from the ${b.run.mode} run of ${b.run.date} (commit ${b.run.commit ?? 'unknown'})._`,
        '',
      );
    if (b.command) parts.push(`\`${b.command}\` (${b.seconds} s)`, '');
    if (b.status === 'skipped') parts.push(`**Skipped**: ${b.reason}.`);
    else if (b.status === 'failed') parts.push('**Failed**:', '', '```text', b.error, '```');
    else parts.push((SPECIAL[b.name] ?? generic)(b.result, report.benchmarks));
  }
  return parts.join('\n');
}

/** Replaces the generated block in the doc, or appends it after the hand-written sections. */
export function mergeIntoDoc(existing, generated) {
  const block = `${START}\n\n${generated}\n\n${END}`;
  const s = existing.indexOf(START);
  const e = existing.indexOf(END);
  if (s >= 0 && e > s) return existing.slice(0, s) + block + existing.slice(e + END.length);
  return `${existing.trimEnd()}\n\n${block}\n`;
}
