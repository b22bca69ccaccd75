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
  /** Points of one line (default: the label; give one when several lines share a label). */
  group?: string;
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
      data: { values: p.theory.map((t) => ({ ...t, group: t.group ?? t.theory })) as unknown as Datum[] },
      mark: { type: 'line', color: 'black', strokeWidth: 1.2 },
      encoding: {
        x,
        y,
        detail: { field: 'group', type: 'nominal' },
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
  /** Cells on a grid (not necessarily evenly spaced: each cell reaches halfway to its neighbours). */
  cells: HeatCell[];
  /** Colours saturate beyond +-this value (default: the largest |value|). */
  colorLimit?: number;
  /** A curve drawn over the cells, e.g. a predicted boundary. */
  curve?: { x: number; y: number }[];
  curveTitle?: string;
}

/** Edges of the cells centred on sorted values: midpoints between neighbours, mirrored at the ends. */
function cellEdges(values: number[]): Map<number, [number, number]> {
  const v = [...new Set(values)].sort((a, b) => a - b);
  const half = (i: number) =>
    v.length === 1 ? 0.5 : (i + 1 < v.length ? v[i + 1] - v[i] : v[i] - v[i - 1]) / 2;
  const edges = new Map<number, [number, number]>();
  v.forEach((x, i) => {
    const lo = i === 0 ? x - half(0) : (v[i - 1] + x) / 2;
    const hi = i + 1 === v.length ? x + half(i) : (x + v[i + 1]) / 2;
    edges.set(x, [lo, hi]);
  });
  return edges;
}

export function heatmap(h: HeatmapSpec): TopLevelSpec {
  const ex = cellEdges(h.cells.map((c) => c.x));
  const ey = cellEdges(h.cells.map((c) => c.y));
  const cells = h.cells.map((c) => ({
    ...c,
    x0: ex.get(c.x)?.[0],
    x1: ex.get(c.x)?.[1],
    y0: ey.get(c.y)?.[0],
    y1: ey.get(c.y)?.[1],
    label: c.value.toFixed(1),
  }));
  const limit = h.colorLimit ?? Math.max(...h.cells.map((c) => Math.abs(c.value)), 1e-9);
  const xs = { type: 'quantitative', title: h.xTitle, scale: { zero: false, nice: false } };
  const ys = { type: 'quantitative', title: h.yTitle, scale: { zero: false, nice: false } };
  const layer: Layer[] = [
    {
      data: { values: cells },
      mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
      encoding: {
        x: { ...xs, field: 'x0' },
        x2: { field: 'x1' },
        y: { ...ys, field: 'y0' },
        y2: { field: 'y1' },
        color: {
          field: 'value',
          type: 'quantitative',
          title: h.valueTitle,
          scale: { scheme: 'redblue', reverse: true, domain: [-limit, limit], clamp: true },
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

export interface FacetLinesSpec {
  title: string;
  xTitle: string;
  yTitle: string;
  /** One small panel per value of `facet` (its label heads the panel). */
  seriesTitle: string;
  points: { x: number; y: number; facet: string; series: string }[];
  columns?: number;
  logY?: boolean;
}

/** Small multiples of line charts on linear x axes (e.g. weights against k/L, one panel per setting). */
export function facetLines(f: FacetLinesSpec): TopLevelSpec {
  return {
    ...base,
    title: f.title,
    data: { values: f.points },
    facet: {
      field: 'facet',
      type: 'nominal',
      title: null,
      header: { labelFontSize: 12, labelFontWeight: 'bold' },
    },
    columns: f.columns ?? 2,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 260,
      height: 150,
      mark: { type: 'line', strokeWidth: 1.2 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: f.xTitle },
        y: {
          field: 'y',
          type: 'quantitative',
          title: f.yTitle,
          scale: { type: f.logY ? 'log' : 'linear', zero: false },
        },
        color: { field: 'series', type: 'ordinal', title: f.seriesTitle, sort: null },
      },
    },
  } as unknown as TopLevelSpec;
}

export interface CurvesSpec {
  title: string;
  xTitle: string;
  yTitle: string;
  seriesTitle: string;
  points: { x: number; y: number; series: string; panel?: string }[];
  logY?: boolean;
  /** Fixed y range; curves leaving it are clipped at its edge (e.g. a diverging method). */
  yDomain?: [number, number];
  /** Encodes `dash` as the line style (e.g. a second grouping), with this legend title. */
  dashTitle?: string;
  dashes?: Record<string, string>;
}

/** Curves y(x) on a linear x axis and a (default log) y axis: training curves. */
export function curves(c: CurvesSpec): TopLevelSpec {
  const points = c.points.map((p) => ({ ...p, dash: c.dashes?.[p.series] ?? '' }));
  return {
    ...base,
    title: c.title,
    width: 420,
    height: 280,
    data: { values: points },
    mark: { type: 'line', strokeWidth: 1.5, clip: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: c.xTitle },
      y: {
        field: 'y',
        type: 'quantitative',
        title: c.yTitle,
        scale: {
          type: c.logY === false ? 'linear' : 'log',
          ...(c.yDomain ? { domain: c.yDomain, clamp: true } : {}),
        },
      },
      color: { field: 'series', type: 'nominal', title: c.seriesTitle, sort: null },
      ...(c.dashTitle ? { strokeDash: { field: 'dash', type: 'nominal', title: c.dashTitle } } : {}),
    },
  } as unknown as TopLevelSpec;
}

export interface DecisionSpec {
  title: string;
  /** Probability of class 1 on a grid of cells of size (dx, dy) centred at (x, y). */
  grid: { x: number; y: number; p: number }[];
  dx: number;
  dy: number;
  /** Labelled points drawn over the regions. */
  points: { x: number; y: number; label: string }[];
}

/** Decision regions of a 2-D binary classifier with the data on top. */
export function decisionRegions(s: DecisionSpec): TopLevelSpec {
  const cells = s.grid.map((g) => ({
    ...g,
    x0: g.x - s.dx / 2,
    x1: g.x + s.dx / 2,
    y0: g.y - s.dy / 2,
    y1: g.y + s.dy / 2,
  }));
  const axis = (title: string) => ({ type: 'quantitative', title, scale: { zero: false, nice: false } });
  return {
    ...base,
    title: s.title,
    width: 300,
    height: 300,
    layer: [
      {
        data: { values: cells },
        mark: { type: 'rect', opacity: 0.55 },
        encoding: {
          x: { ...axis('x1'), field: 'x0' },
          x2: { field: 'x1' },
          y: { ...axis('x2'), field: 'y0' },
          y2: { field: 'y1' },
          color: {
            field: 'p',
            type: 'quantitative',
            title: 'P(class 1)',
            scale: { scheme: 'blueorange', domain: [0, 1] },
          },
        },
      },
      {
        data: { values: s.points },
        mark: { type: 'point', filled: true, size: 14, stroke: 'black', strokeWidth: 0.3 },
        encoding: {
          x: { ...axis('x1'), field: 'x' },
          y: { ...axis('x2'), field: 'y' },
          shape: { field: 'label', type: 'nominal', title: 'test point' },
          fill: { field: 'label', type: 'nominal', scale: { range: ['#1f4e99', '#c4540a'] }, legend: null },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as unknown as TopLevelSpec;
}
