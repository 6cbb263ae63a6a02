// Time-series plots with uPlot (https://github.com/leeoniya/uPlot): one per card, x in seconds.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Series } from './api.js';

const PALETTE = ['#2563eb', '#f97316', '#16a34a', '#dc2626', '#9333ea', '#0891b2', '#ca8a04'];

export interface Line {
  label: string;
  values: (number | null)[];
}

/** Epoch seconds of each point of a series. */
export function xs(s: Series): number[] {
  return Array.from({ length: s.points }, (_, i) => s.start / 1000 + i * s.step);
}

/**
 * A card with a title and a uPlot chart of `lines` over `x`. The card carries data-points: how
 * many values are non-zero (what "a plot with data" means to the browser test).
 */
export function plotCard(
  parent: HTMLElement,
  title: string,
  x: number[],
  lines: Line[],
  opts: { unit?: string; stacked?: boolean; time?: boolean } = {},
): HTMLElement {
  const card = document.createElement('section');
  card.className = 'card plot';
  card.dataset.title = title;
  const h = document.createElement('h3');
  h.textContent = opts.unit ? `${title} (${opts.unit})` : title;
  card.append(h);
  parent.append(card);
  const nonZero = lines.reduce(
    (a, l) => a + l.values.filter((v) => v !== null && v !== 0).length,
    0,
  );
  card.dataset.points = String(nonZero);
  if (lines.length === 0) {
    const p = document.createElement('p');
    p.className = 'empty';
    p.textContent = 'no data in this window';
    card.append(p);
    return card;
  }
  const width = Math.max(280, card.clientWidth - 24);
  new uPlot(
    {
      width,
      height: 180,
      scales: { x: { time: opts.time ?? true } },
      legend: { show: true },
      cursor: { drag: { x: true, y: false } },
      series: [
        {},
        ...lines.map((l, i) => ({
          label: l.label,
          stroke: PALETTE[i % PALETTE.length],
          width: 1.5,
          spanGaps: false,
          // Dots on minutes with a non-zero value: a minute alone (no neighbours) still shows.
          points: {
            show: true,
            size: 5,
            filter: (_u: uPlot, si: number) =>
              lines[si - 1]!.values.flatMap((v, i) => (v !== null && v !== 0 ? [i] : [])),
          },
          ...(opts.stacked ? { fill: `${PALETTE[i % PALETTE.length]}22` } : {}),
        })),
      ],
      axes: [{}, { size: 56 }],
    },
    [x, ...lines.map((l) => l.values)] as uPlot.AlignedData,
    card,
  );
  return card;
}

/** A small figure card (a total, a ratio). */
export function statCard(
  parent: HTMLElement,
  label: string,
  value: string,
  testId?: string,
): HTMLElement {
  const card = document.createElement('section');
  card.className = 'card stat';
  const v = document.createElement('div');
  v.className = 'value';
  v.textContent = value;
  if (testId) v.dataset.testid = testId;
  const l = document.createElement('div');
  l.className = 'label';
  l.textContent = label;
  card.append(v, l);
  parent.append(card);
  return v;
}
