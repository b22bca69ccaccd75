import { fitPowerLaw } from '../stats.js';
import type { StoredRow, Summary } from '../types.js';
import { criticalBeta, decaySlope } from './theory.js';

const fmt = (x: number): string =>
  Math.abs(x) >= 1e4 || Math.abs(x) < 1e-2 ? x.toExponential(2) : x.toPrecision(3);

/** The exponent of the median ratio in L for each beta of one initialisation. */
export function slopesByBeta(
  rows: readonly StoredRow[],
  init: 'iid' | 'smooth',
  field: 'ratioMedian' | 'gradRatioMedian' = 'ratioMedian',
): { beta: number; slope: number; first: number; last: number; depths: [number, number] }[] {
  const mine = rows.filter((r) => r.init === init && typeof r[field] === 'number');
  const betas = [...new Set(mine.map((r) => r.beta as number))].sort((a, b) => a - b);
  return betas.flatMap((beta) => {
    const rs = mine.filter((r) => r.beta === beta).sort((a, b) => (a.depth as number) - (b.depth as number));
    if (rs.length < 2) return [];
    const fit = fitPowerLaw(
      rs.map((r) => r.depth as number),
      rs.map((r) => r[field] as number),
    );
    const first = rs[0];
    const last = rs[rs.length - 1];
    return [
      {
        beta,
        slope: fit.slope,
        first: first[field] as number,
        last: last[field] as number,
        depths: [first.depth as number, last.depth as number] as [number, number],
      },
    ];
  });
}

/** Where the exponent changes sign, interpolated linearly between the betas on either side. */
export function crossing(pairs: { at: number; value: number }[]): number | null {
  const sorted = [...pairs].sort((a, b) => a.at - b.at);
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i];
    const b = sorted[i + 1];
    if (a.value === 0) return a.at;
    if (Math.sign(a.value) !== Math.sign(b.value))
      return a.at + (a.value / (a.value - b.value)) * (b.at - a.at);
  }
  return null;
}

function regime(slope: number): string {
  if (slope < -0.15) return 'vanishes';
  if (slope > 0.15) return 'explodes';
  return 'stays of order one';
}

export function summarizeScalingInit(rows: readonly StoredRow[]): Summary {
  const lines: string[] = [];
  const numbers: Record<string, number> = {};
  for (const init of ['iid', 'smooth'] as const) {
    const slopes = slopesByBeta(rows, init);
    if (slopes.length === 0) continue;
    for (const s of slopes) {
      numbers[`${init}.beta=${s.beta}.slope`] = s.slope;
      const theory = s.beta > criticalBeta(init) ? ` (theory ${fmt(decaySlope(init, s.beta))})` : '';
      lines.push(
        `${init}, beta = ${s.beta}: ratio ${fmt(s.first)} -> ${fmt(s.last)} for L = ${s.depths[0]} -> ${s.depths[1]}, ` +
          `exponent ${s.slope.toFixed(2)}${theory}: ${regime(s.slope)}`,
      );
    }
    const crit = crossing(slopes.map((s) => ({ at: s.beta, value: s.slope })));
    if (crit !== null) {
      numbers[`${init}.criticalBeta`] = crit;
      lines.push(
        `${init}: the exponent changes sign at beta ~ ${crit.toFixed(2)} (theory ${criticalBeta(init)})`,
      );
    }
  }
  const fgn = rows.filter((r) => r.init === 'fgn');
  const hursts = [...new Set(fgn.map((r) => r.hurst as number))].sort((a, b) => a - b);
  for (const hurst of hursts) {
    const rs = fgn.filter((r) => r.hurst === hurst && typeof r.ratioMedian === 'number');
    const boundary = crossing(
      rs.map((r) => ({ at: r.beta as number, value: Math.log10(r.ratioMedian as number) })),
    );
    if (boundary === null) continue;
    numbers[`fgn.H=${hurst}.boundaryBeta`] = boundary;
    lines.push(
      `fgn, H = ${hurst}, L = ${rs[0].depth}: median ratio crosses 1 at beta ~ ${boundary.toFixed(2)} ` +
        `(theory max(1/2, H) = ${criticalBeta('fgn', hurst)})`,
    );
  }
  return { lines, numbers };
}
