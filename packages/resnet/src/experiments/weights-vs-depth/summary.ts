import { fitPowerLaw } from '../stats.js';
import type { StoredRow, Summary } from '../types.js';

export const settingName = (r: StoredRow): string => `${r.activation}, ${r.init} init`;

export interface SettingFit {
  setting: string;
  init: string;
  activation: string;
  /** Exponents in L of the measures across depths. */
  increment: number;
  quadVariation: number;
  change: number | null;
  trainLoss: number;
}

export function fitSettings(rows: readonly StoredRow[]): SettingFit[] {
  const names = [...new Set(rows.map(settingName))];
  return names.flatMap((setting) => {
    const rs = rows
      .filter((r) => settingName(r) === setting)
      .sort((a, b) => (a.depth as number) - (b.depth as number));
    if (rs.length < 2) return [];
    const L = rs.map((r) => r.depth as number);
    const slope = (field: string) =>
      fitPowerLaw(
        L,
        rs.map((r) => r[field] as number),
      ).slope;
    const changes = rs.every(
      (r) => typeof r.changeMaxIncrement === 'number' && (r.changeMaxIncrement as number) > 0,
    );
    return [
      {
        setting,
        init: rs[0].init as string,
        activation: rs[0].activation as string,
        increment: slope('maxIncrement'),
        quadVariation: slope('quadVariation'),
        change: changes ? slope('changeMaxIncrement') : null,
        trainLoss: Math.max(...rs.map((r) => r.trainLoss as number)),
      },
    ];
  });
}

function regime(exponent: number): string {
  if (exponent < -0.75) return 'smooth in s = k/L (ODE regime)';
  if (exponent > -0.25) return 'rough: increments do not shrink';
  return 'in between (diffusive scaling is -1/2)';
}

export function summarizeWeights(rows: readonly StoredRow[]): Summary {
  const numbers: Record<string, number> = {};
  const lines = fitSettings(rows).map((f) => {
    numbers[`${f.activation}.${f.init}.incrementExponent`] = f.increment;
    numbers[`${f.activation}.${f.init}.quadVariationExponent`] = f.quadVariation;
    if (f.change !== null) numbers[`${f.activation}.${f.init}.changeExponent`] = f.change;
    const change = f.change === null ? '' : `; the change from init ~ L^${f.change.toFixed(2)}`;
    return (
      `${f.setting}: max_k ||theta_{k+1} - theta_k|| ~ L^${f.increment.toFixed(2)}, ` +
      `quadratic variation ~ L^${f.quadVariation.toFixed(2)}${change}: ${regime(f.increment)} ` +
      `(worst train MSE ${f.trainLoss.toExponential(1)})`
    );
  });
  return { lines, numbers };
}
