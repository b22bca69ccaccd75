import { heatmap, type MeasuredPoint, panels, type TheoryPoint } from '../figures/charts.js';
import type { Figure, StoredRow } from '../types.js';
import { corollary4Bounds, criticalBeta, decaySlope } from './theory.js';

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function measured(rows: readonly StoredRow[], prefix: 'ratio' | 'gradRatio'): MeasuredPoint[] {
  return rows
    .filter((r) => finite(r[`${prefix}Median`]))
    .map((r) => ({
      x: r.depth as number,
      y: r[`${prefix}Median`] as number,
      lo: r[`${prefix}Q10`] as number,
      hi: r[`${prefix}Q90`] as number,
      series: `beta = ${r.beta}`,
    }))
    .sort((a, b) => a.series.localeCompare(b.series) || a.x - b.x);
}

/** A power law C L^slope through the geometric middle of the measured curve of one beta. */
function slopeLine(rows: readonly StoredRow[], beta: number, slope: number, label: string): TheoryPoint[] {
  const rs = rows.filter((r) => r.beta === beta && finite(r.ratioMedian));
  if (rs.length < 2) return [];
  const depths = rs.map((r) => r.depth as number);
  const lx = depths.map(Math.log);
  const ly = rs.map((r) => Math.log(r.ratioMedian as number));
  const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
  const my = ly.reduce((s, v) => s + v, 0) / ly.length;
  return [Math.min(...depths), Math.max(...depths)].map((x) => ({
    x,
    y: Math.exp(my + slope * (Math.log(x) - mx)),
    theory: label,
  }));
}

function depthPanels(rows: readonly StoredRow[], init: 'iid' | 'smooth'): Figure | null {
  const mine = rows.filter((r) => r.init === init);
  if (mine.length === 0) return null;
  const depths = mine.map((r) => r.depth as number);
  const [lo, hi] = [Math.min(...depths), Math.max(...depths)];
  const betas = [...new Set(mine.map((r) => r.beta as number))];
  const theory: TheoryPoint[] = [];
  for (const beta of betas) {
    if (beta > criticalBeta(init)) {
      const s = decaySlope(init, beta);
      theory.push(...slopeLine(mine, beta, s, `slope ${init === 'iid' ? '1/2' : '1'} - beta = ${s}`));
    }
  }
  if (init === 'iid' && betas.includes(0.5)) {
    // Corollary 4 at beta = 1/2, with probability 0.9 over the draw of the weights.
    const d = mine[0].width as number;
    const { lower, upper } = corollary4Bounds(d, 0.1);
    theory.push({ x: lo, y: upper, theory: `Cor. 4 bound at beta = 1/2 (d = ${d}, p = 0.9)` });
    theory.push({ x: hi, y: upper, theory: `Cor. 4 bound at beta = 1/2 (d = ${d}, p = 0.9)` });
    if (lower !== null) {
      theory.push({ x: lo, y: lower, theory: 'Cor. 4 lower bound at beta = 1/2' });
      theory.push({ x: hi, y: lower, theory: 'Cor. 4 lower bound at beta = 1/2' });
    }
  }
  const what = init === 'iid' ? 'i.i.d.' : 'smooth';
  return {
    name: `scaling-init-${init}`,
    title: `Scaling at initialisation, ${what} weights`,
    spec: panels(`ResNet at initialisation, ${what} weights, alpha = L^-beta (median, 10%-90% band)`, [
      {
        xTitle: 'depth L',
        yTitle: '||h_L - h_0|| / ||h_0||',
        seriesTitle: 'scaling',
        measured: measured(mine, 'ratio'),
        theory,
      },
      {
        xTitle: 'depth L',
        yTitle: '||dLoss/dh_0|| / ||dLoss/dh_L||',
        seriesTitle: 'scaling',
        measured: measured(mine, 'gradRatio'),
        theory: [
          { x: lo, y: 1, theory: 'limit 1 when beta is above critical' },
          { x: hi, y: 1, theory: 'limit 1 when beta is above critical' },
        ],
      },
    ]),
  };
}

function fgnHeatmap(rows: readonly StoredRow[]): Figure | null {
  const mine = rows.filter((r) => r.init === 'fgn' && finite(r.ratioMedian));
  if (mine.length === 0) return null;
  const hursts = [...new Set(mine.map((r) => r.hurst as number))].sort((a, b) => a - b);
  const curve = [];
  for (let i = 0; i <= 40; i++) {
    const h = hursts[0] + ((hursts[hursts.length - 1] - hursts[0]) * i) / 40;
    curve.push({ x: h, y: criticalBeta('fgn', h) });
  }
  return {
    name: 'scaling-init-fgn-heatmap',
    title: 'Critical scaling for fractional-noise weights',
    spec: heatmap({
      title: `log10 median ||h_L - h_0|| / ||h_0||, L = ${mine[0].depth}, fractional-noise weights`,
      xTitle: 'Hurst index H',
      yTitle: 'beta',
      valueTitle: 'log10 ratio',
      cells: mine.map((r) => ({
        x: r.hurst as number,
        y: r.beta as number,
        value: Math.log10(r.ratioMedian as number),
      })),
      colorLimit: 3,
      curve,
      curveTitle: 'beta = max(1/2, H)',
    }),
  };
}

export function scalingInitFigures(rows: readonly StoredRow[]): Figure[] {
  return [depthPanels(rows, 'iid'), depthPanels(rows, 'smooth'), fgnHeatmap(rows)].filter(
    (f): f is Figure => f !== null,
  );
}
