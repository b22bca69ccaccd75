/**
 * The chart shapes the experiments need, as Vega-Lite specs: log-log panels of a measured quantity
 * against depth (median line, quantile band, and theory drawn as dashed black lines with their own
 * legend), and heatmaps. Specs only: rendering is in render.ts.
 */
import type { TopLevelSpec } from 'vega-lite';

type Datum = Record<string, number | string | null>;

export interface MeasuredPoint {
  x: number;
  y: number;
  series: string;
  /** Optional band, e.g. the 10% and 90% quantiles. */
  lo?: number;
  hi?: number;
}

export interface TheoryPoint {
  x: number;
  y: number;
  /** Label of the theoretical line (one legend entry per label). */
  theory: string;
}

export interface PanelSpec {
  /** Panel title (optional: side-by-side panels read better with the quantity in the y title). */
  title?: string;
  xTitle: string;
  yTitle: string;
  seriesTitle: string;
  measured: MeasuredPoint[];
  theory?: TheoryPoint[];
  /** Log axes (default both). */
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
}

// Vega-Lite's unit/layer types are deep unions; panels are built as plain objects and typed at the top.
type Layer = Record<string, unknown>;

function panelLayers(p: PanelSpec): { layer: Layer[]; width: number; height: number; title?: string } {
  const scaleX = { type: p.logX === false ? 'linear' : 'log', nice: false };
  const scaleY = { type: p.logY === false ? 'linear' : 'log' };
  const x = { field: 'x', type: 'quantitative', title: p.xTitle, scale: scaleX };
  const y = { field: 'y', type: 'quantitative', title: p.yTitle, scale: scaleY };
  const color = { field: 'series', type: 'nominal', title: p.seriesTitle };
  const layer: Layer[] = [];
  const banded = p.measured.filter((m) => m.lo !== undefined && m.hi !== undefined);
  if (banded.length > 0) {
    layer.push({
      data: { values: banded as unknown as Datum[] },
      mark: { type: 'area', opacity: 0.18 },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color },
    });
  }
  layer.push({
    data: { values: p.measured as unknown as Datum[] },
    mark: { type: 'line', point: true },
    encoding: { x, y, color },
  });
  if (p.theory && p.theory.length > 0) {
    layer.push({
      data: { values: p.theory as unknown as Datum[] },
      mark: { type: 'line', color: 'black', strokeWidth: 1.2 },
      encoding: {
        x,
        y,
        detail: { field: 'theory', type: 'nominal' },
        strokeDash: { field: 'theory', type: 'nominal', title: 'theory' },
      },
    });
  }
  return { layer, width: p.width ?? 320, height: p.height ?? 240, ...(p.title ? { title: p.title } : {}) };
}

const base = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  background: 'white',
  config: { legend: { labelLimit: 360 }, axis: { grid: true }, concat: { spacing: 40 } },
};

/** One log-log panel. */
export function logLogChart(p: PanelSpec): TopLevelSpec {
  return { ...base, ...panelLayers(p) } as unknown as TopLevelSpec;
}

/** Several panels side by side, sharing legends (same series names get the same colours). */
export function panels(title: string, ps: PanelSpec[]): TopLevelSpec {
  return {
    ...base,
    title: { text: title, anchor: 'start', offset: 16 },
    hconcat: ps.map((p) => panelLayers(p)),
    resolve: { scale: { color: 'shared', strokeDash: 'shared' } },
  } as unknown as TopLevelSpec;
}

export interface HeatCell {
  x: number;
  y: number;
  value: number;
}

export interface HeatmapSpec {
  title: string;
  xTitle: string;
  yTitle: string;
  valueTitle: string;
  cells: HeatCell[];
  /** Cell size along x and y (cells are centred on their coordinates). */
  dx: number;
  dy: number;
  /** A curve drawn over the cells, e.g. a predicted boundary. */
  curve?: { x: number; y: number }[];
  curveTitle?: string;
}

export function heatmap(h: HeatmapSpec): TopLevelSpec {
  const cells = h.cells.map((c) => ({
    ...c,
    x0: c.x - h.dx / 2,
    x1: c.x + h.dx / 2,
    y0: c.y - h.dy / 2,
    y1: c.y + h.dy / 2,
    label: c.value.toFixed(1),
  }));
  const xs = { type: 'quantitative', title: h.xTitle, scale: { zero: false, nice: false } };
  const ys = { type: 'quantitative', title: h.yTitle, scale: { zero: false, nice: false } };
  const layer: Layer[] = [
    {
      data: { values: cells },
      mark: { type: 'rect' },
      encoding: {
        x: { ...xs, field: 'x0' },
        x2: { field: 'x1' },
        y: { ...ys, field: 'y0' },
        y2: { field: 'y1' },
        color: {
          field: 'value',
          type: 'quantitative',
          title: h.valueTitle,
          scale: { scheme: 'redblue', reverse: true, domainMid: 0 },
        },
      },
    },
    {
      data: { values: cells },
      mark: { type: 'text', fontSize: 10 },
      encoding: { x: { ...xs, field: 'x' }, y: { ...ys, field: 'y' }, text: { field: 'label' } },
    },
  ];
  if (h.curve) {
    layer.push({
      data: { values: h.curve.map((p) => ({ ...p, curve: h.curveTitle ?? 'theory' })) },
      mark: { type: 'line', color: 'black', strokeWidth: 2 },
      encoding: {
        x: { ...xs, field: 'x' },
        y: { ...ys, field: 'y' },
        strokeDash: { field: 'curve', type: 'nominal', title: 'theory' },
      },
    });
  }
  return { ...base, title: h.title, width: 320, height: 260, layer } as unknown as TopLevelSpec;
}
