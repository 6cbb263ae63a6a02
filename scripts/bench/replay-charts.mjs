// Charts of the trace-replay benchmark for docs/benchmarks.md, drawn from the results in
// docs/benchmarks.json (so `pnpm bench --render` redraws them): one per trace (offered load and
// overflow over time; the autoscaler's replicas against the fixed counts) and one comparing
// GPU-hours and total cost per policy. Hand-written SVG: no chart library to install or update.

const COLORS = {
  'fixed-peak': '#7b3294',
  'fixed-mean': '#e66101',
  autoscaler: '#1a9641',
  'closed-api': '#555555',
};
const OVERFLOW = '#d7191c';
const FONT = 'font-family="Helvetica,Arial,sans-serif" font-size="12"';

const esc = (s) =>
  String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
const n1 = (x) => (Math.round(x * 10) / 10).toString();

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

const tickLabel = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1));

/** File name (under docs/img/) of a trace's chart. */
export const replayChartFile = (trace) => `replay-${trace.replace(/[^a-zA-Z0-9._-]/g, '_')}.svg`;
export const REPLAY_COST_CHART = 'replay-cost.svg';

/** A row of legend entries: [kind, colour, label]; kind is line, dash, area or band. */
function legend(x, y, items) {
  const out = [];
  for (const [kind, color, label] of items) {
    if (kind === 'area' || kind === 'band')
      out.push(
        `<rect x="${x}" y="${y - 9}" width="16" height="10" fill="${color}" opacity="${kind === 'band' ? 0.25 : 0.8}"/>`,
      );
    else
      out.push(
        `<line x1="${x}" x2="${x + 16}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="2"${kind === 'dash' ? ' stroke-dasharray="5 3"' : ''}/>`,
      );
    out.push(`<text x="${x + 21}" y="${y}">${esc(label)}</text>`);
    x += 21 + label.length * 6.4 + 14;
  }
  return out.join('\n');
}

/** Panel frame with horizontal grid lines and y labels. */
function panel(left, top, width, height, max, title) {
  const out = [
    `<text x="${left}" y="${top - 24}" font-weight="bold">${esc(title)}</text>`,
    `<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="none" stroke="#999"/>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const y = n1(top + height - (k / 4) * height);
    out.push(
      `<line x1="${left}" x2="${left + width}" y1="${y}" y2="${y}" stroke="#eee"/>`,
      `<text x="${left - 6}" y="${Number(y) + 4}" text-anchor="end">${tickLabel((max * k) / 4)}</text>`,
    );
  }
  return out.join('\n');
}

/**
 * One trace: top, offered load (arrivals/s per bucket) with the requests each policy overflowed
 * to the closed API; bottom, the autoscaler's desired / ready / GPU-holding replicas against the
 * fixed-peak and fixed-mean counts, with the buckets where the autoscaler overflowed shaded.
 */
export function renderReplayTraceSvg(t) {
  const s = t.series;
  const W = 960;
  const L = 56;
  const R = 16;
  const PH = 170;
  const top1 = 92;
  const top2 = top1 + PH + 64;
  const H = top2 + PH + 46;
  const pw = W - L - R;
  const n = s.t.length;
  const endS = n * s.bucketS;
  const x = (sec) => n1(L + (sec / endS) * pw);
  const peak = t.sizing.peak;
  const mean = t.sizing.mean;
  const auto = s.autoscaler;
  const over = s.overflowPerS;

  const rateMax = niceMax(Math.max(...s.arrivalsPerS, 0.1));
  const y1 = (v) => n1(top1 + PH - (Math.min(v, rateMax) / rateMax) * PH);
  // A multiple of 4 so the four grid steps are whole replicas.
  const repMax =
    Math.ceil(
      niceMax(Math.max(peak, mean, ...(auto ? [...auto.desired, ...auto.holding] : []), 1) * 1.1) /
        4,
    ) * 4;
  const y2 = (v) => n1(top2 + PH - (v / repMax) * PH);

  // Step path over the buckets; filled down to zero when `area`.
  const step = (vals, y, area) => {
    let d = `M${x(0)},${y(area ? 0 : vals[0])}`;
    vals.forEach((v, i) => {
      d += ` V${y(v)} H${x((i + 1) * s.bucketS)}`;
    });
    return area ? `${d} V${y(0)} Z` : d;
  };

  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT}>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${L}" y="22" font-size="15" font-weight="bold">${esc(`Trace replay: ${t.trace.name}`)}</text>`,
    `<text x="${L}" y="40" fill="#555">${esc(
      `${t.trace.requests.toLocaleString('en-US')} requests over ${(t.trace.durationS / 60).toFixed(0)} min; ` +
        `${s.bucketS} s buckets; overflow = requests the Route sent to the closed API for lack of capacity`,
    )}</text>`,
    panel(L, top1, pw, PH, rateMax, 'Offered load and overflow (requests/s)'),
    legend(L, top1 - 8, [
      ['area', '#9ecae1', 'arrivals (all policies)'],
      ['area', OVERFLOW, 'overflow: autoscaler'],
      ['line', COLORS['fixed-mean'], `overflow: fixed-mean (${mean})`],
      ['dash', COLORS['fixed-peak'], `overflow: fixed-peak (${peak})`],
    ]),
    `<path d="${step(s.arrivalsPerS, y1, true)}" fill="#9ecae1" stroke="#6baed6" stroke-width="0.8"/>`,
  ];
  if (over.autoscaler)
    out.push(`<path d="${step(over.autoscaler, y1, true)}" fill="${OVERFLOW}" opacity="0.8"/>`);
  if (over['fixed-mean'])
    out.push(
      `<path d="${step(over['fixed-mean'], y1, false)}" fill="none" stroke="${COLORS['fixed-mean']}" stroke-width="1.5"/>`,
    );
  if (over['fixed-peak'])
    out.push(
      `<path d="${step(over['fixed-peak'], y1, false)}" fill="none" stroke="${COLORS['fixed-peak']}" stroke-width="1.2" stroke-dasharray="4 3"/>`,
    );

  out.push(panel(L, top2, pw, PH, repMax, 'Replicas'));
  const items = [];
  if (auto) {
    // Shade the buckets in which the autoscaler overflowed: mostly while replicas start.
    const bands = [];
    const o = over.autoscaler ?? [];
    for (let i = 0; i < o.length; i++) {
      if (!(o[i] > 0)) continue;
      let j = i;
      while (j + 1 < o.length && o[j + 1] > 0) j++;
      const x0 = Number(x(i * s.bucketS));
      bands.push(
        `<rect x="${x0}" y="${top2}" width="${n1(Number(x((j + 1) * s.bucketS)) - x0)}" height="${PH}"/>`,
      );
      i = j;
    }
    if (bands.length) out.push(`<g fill="${OVERFLOW}" opacity="0.18">`, ...bands, '</g>');
    out.push(
      `<path d="${step(auto.holding, y2, false)}" fill="none" stroke="#aaa" stroke-width="3" opacity="0.7"/>`,
      `<path d="${step(auto.desired, y2, false)}" fill="none" stroke="${COLORS.autoscaler}" stroke-width="2"/>`,
      `<path d="${step(auto.ready, y2, false)}" fill="none" stroke="#1f77b4" stroke-width="1.5" stroke-dasharray="3 2"/>`,
    );
    items.push(
      ['line', COLORS.autoscaler, 'autoscaler: desired'],
      ['dash', '#1f77b4', 'ready'],
      ['line', '#aaa', 'holding GPUs (incl. starting)'],
      ['band', OVERFLOW, 'autoscaler overflowed'],
    );
  }
  for (const [count, name] of [
    [peak, 'fixed-peak'],
    [mean, 'fixed-mean'],
  ]) {
    const y = y2(count);
    out.push(
      `<line x1="${L}" x2="${L + pw}" y1="${y}" y2="${y}" stroke="${COLORS[name]}" stroke-width="1.5" stroke-dasharray="7 4"/>`,
    );
  }
  items.push(['dash', COLORS['fixed-peak'], `fixed-peak ${peak}`]);
  if (mean !== peak) items.push(['dash', COLORS['fixed-mean'], `fixed-mean ${mean}`]);
  else items.push(['dash', COLORS['fixed-mean'], `fixed-mean ${mean} (= peak)`]);
  out.push(legend(L, top2 - 8, items));

  const tick = endS > 2400 ? 600 : endS > 1200 ? 300 : endS > 300 ? 120 : 60;
  for (let sec = 0; sec <= endS; sec += tick) {
    out.push(
      `<line x1="${x(sec)}" x2="${x(sec)}" y1="${top2 + PH}" y2="${top2 + PH + 4}" stroke="#999"/>`,
      `<text x="${x(sec)}" y="${top2 + PH + 17}" text-anchor="middle">${sec / 60}</text>`,
    );
  }
  out.push(
    `<text x="${L + pw / 2}" y="${top2 + PH + 36}" text-anchor="middle" fill="#555">time (min)</text>`,
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}

const POLICIES = ['fixed-peak', 'fixed-mean', 'autoscaler', 'closed-api'];

/** GPU-hours and total $ of each policy on each trace, as bars relative to fixed-peak. */
export function renderReplayCostSvg(results) {
  const W = 960;
  const labelW = 180;
  const gap = 40;
  const pw = (W - labelW - gap - 16) / 2;
  const barH = 11;
  const groupH = POLICIES.length * (barH + 3) + 16;
  const top = 76;
  const H = top + results.length * groupH + 12;
  const metrics = [
    ['gpuHours', 'GPU-hours', (v) => `${v.toFixed(2)} GPU-h`],
    ['totalCostUSD', 'Total $ (GPUs + closed API)', (v) => `$${v.toFixed(2)}`],
  ];
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT}>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="8" y="22" font-size="15" font-weight="bold">Trace replay: GPU-hours and total cost per policy, relative to fixed-peak</text>`,
    legend(
      8,
      44,
      POLICIES.map((p) => ['area', COLORS[p], p]),
    ),
  ];
  metrics.forEach(([key, title, unit], m) => {
    const left = labelW + m * (pw + gap);
    const ratios = results.flatMap((t) => {
      const base = t.rows.find((r) => r.policy === 'fixed-peak')?.[key] ?? 0;
      return t.rows.map((r) => (base > 0 ? r[key] / base : 0));
    });
    // Leave room at the right of the longest bar for its label.
    const max = Math.max(1, ...ratios);
    const scale = (pw - 120) / max;
    out.push(
      `<text x="${left}" y="${top - 10}" font-weight="bold">${esc(title)}</text>`,
      `<line x1="${n1(left + scale)}" x2="${n1(left + scale)}" y1="${top - 4}" y2="${H - 8}" stroke="#999" stroke-dasharray="3 3"/>`,
      `<text x="${n1(left + scale)}" y="${H - 1}" text-anchor="middle" fill="#555" font-size="10">1.00x = fixed-peak</text>`,
    );
    results.forEach((t, g) => {
      const y0 = top + g * groupH;
      const base = t.rows.find((r) => r.policy === 'fixed-peak')?.[key] ?? 0;
      if (m === 0)
        out.push(
          `<text x="${labelW - 10}" y="${y0 + groupH / 2 - 4}" text-anchor="end" font-weight="bold">${esc(t.trace.name)}</text>`,
        );
      POLICIES.forEach((p, i) => {
        const r = t.rows.find((x) => x.policy === p);
        if (!r) return;
        const y = y0 + i * (barH + 3);
        const ratio = base > 0 ? r[key] / base : 0;
        const w = Math.max(ratio * scale, r[key] > 0 ? 1 : 0);
        out.push(
          `<rect x="${left}" y="${y}" width="${n1(w)}" height="${barH}" fill="${COLORS[p]}"/>`,
          `<text x="${n1(left + w + 4)}" y="${y + barH - 1}" font-size="10">${esc(r[key] > 0 ? `${base > 0 ? `${ratio.toFixed(2)}x · ` : ''}${unit(r[key])}` : 'none')}</text>`,
        );
      });
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Every chart of a replay-traces result: [file name, SVG]. */
export function replayCharts(result) {
  const withSeries = (result?.results ?? []).filter((t) => t.series?.t?.length);
  const files = withSeries.map((t) => [replayChartFile(t.trace.name), renderReplayTraceSvg(t)]);
  if (result?.results?.length) files.push([REPLAY_COST_CHART, renderReplayCostSvg(result.results)]);
  return files;
}
