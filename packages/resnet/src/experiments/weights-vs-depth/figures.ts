import { facetLines, type MeasuredPoint, panels, type TheoryPoint } from '../figures/charts.js';
import type { Figure, StoredRow } from '../types.js';
import { fitSettings, settingName } from './summary.js';

/** A line of slope `slope` on log-log axes through the geometric middle of the measured points. */
function through(
  rows: readonly StoredRow[],
  field: string,
  slope: number,
  label: string,
  group: string,
): TheoryPoint[] {
  const L = rows.map((r) => r.depth as number);
  const ly = rows.map((r) => Math.log(r[field] as number));
  const lx = L.map(Math.log);
  const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
  const my = ly.reduce((s, v) => s + v, 0) / ly.length;
  return [Math.min(...L), Math.max(...L)].map((x) => ({
    x,
    y: Math.exp(my + slope * (Math.log(x) - mx)),
    theory: label,
    group,
  }));
}

export function weightsFigures(rows: readonly StoredRow[]): Figure[] {
  if (rows.length === 0) return [];
  const measured = (field: string): MeasuredPoint[] =>
    rows.map((r) => ({ x: r.depth as number, y: r[field] as number, series: settingName(r) }));
  const incTheory: TheoryPoint[] = [];
  const qvTheory: TheoryPoint[] = [];
  for (const f of fitSettings(rows)) {
    const rs = rows.filter((r) => settingName(r) === f.setting);
    // Smooth weights: increments ~ 1/L and quadratic variation ~ 1/L; i.i.d. ones: ~ 1 and ~ L.
    const smooth = f.init === 'smooth';
    incTheory.push(
      ...through(
        rs,
        'maxIncrement',
        smooth ? -1 : 0,
        smooth ? 'smooth limit: L^-1' : 'i.i.d.: L^0',
        f.setting,
      ),
    );
    qvTheory.push(
      ...through(
        rs,
        'quadVariation',
        smooth ? -1 : 1,
        smooth ? 'smooth limit: L^-1' : 'i.i.d.: L^1',
        f.setting,
      ),
    );
  }
  const deepest = Math.max(...rows.map((r) => r.depth as number));
  const depths = [...new Set(rows.map((r) => r.depth as number))].sort((a, b) => a - b);
  const shown = depths.length > 3 ? [depths[0], depths[Math.floor(depths.length / 2)], deepest] : depths;
  const pathPoints = rows
    .filter((r) => shown.includes(r.depth as number))
    .flatMap((r) =>
      (r.path as number[]).map((y, k) => ({
        x: k / (r.depth as number),
        y,
        facet: settingName(r),
        series: `L = ${r.depth}`,
      })),
    );
  return [
    {
      name: 'weights-vs-depth-scaling',
      title: 'Regularity of trained weights in depth',
      spec: panels('Trained ResNets on the teacher task: increments of theta_k in k against depth', [
        {
          xTitle: 'depth L',
          yTitle: 'max_k ||theta_{k+1} - theta_k||',
          seriesTitle: 'setting',
          measured: measured('maxIncrement'),
          theory: incTheory,
        },
        {
          xTitle: 'depth L',
          yTitle: 'sum_k ||theta_{k+1} - theta_k||^2',
          seriesTitle: 'setting',
          measured: measured('quadVariation'),
          theory: qvTheory,
        },
      ]),
    },
    {
      name: 'weights-vs-depth-paths',
      title: 'Trained weights against k/L',
      spec: facetLines({
        title: 'Entry (0, 0) of the trained W_k against s = k/L',
        xTitle: 's = k/L',
        yTitle: 'W_k[0, 0]',
        seriesTitle: 'depth',
        points: pathPoints,
      }),
    },
  ];
}
