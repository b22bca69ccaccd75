/**
 * The convergence figure of docs/ode.md: global error against step size, log-log, for every
 * method, measured at the same fixed step sizes (N, 2N, 4N, 8N steps) as the table of
 * ode-convergence.ts, one panel per problem, with dashed reference lines of slope p = the order.
 * Run: pnpm exec tsx --conditions=resode-source docs/examples/ode-convergence-plot.ts [out.svg]
 * (default out: docs/figures/ode-convergence.svg).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { METHODS, type MethodName } from '@resode/ode';
import { renderSvg } from '@resode/resnet';
import { globalError, linear, type Problem, STEPS } from './ode-convergence.js';

export const DEFAULT_OUT = fileURLToPath(new URL('../figures/ode-convergence.svg', import.meta.url));

/** One measured point: the error at t = T after T / h fixed steps. */
export type ErrorPoint = { problem: string; method: string; order: number; h: number; error: number };
/** A point of a dashed reference line error = C h^order. */
export type ReferencePoint = { problem: string; order: number; h: number; error: number; label: string };

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const power = (p: number) => `h${[...String(p)].map((d) => SUPERSCRIPT[Number(d)]).join('')}`;

/** The measurement: each method on the linear system and on its nonlinear problem. */
export function measure(): ErrorPoint[] {
  const points: ErrorPoint[] = [];
  for (const method of Object.keys(STEPS) as MethodName[]) {
    const order = METHODS[method].order;
    const { linear: nLinear, nonlinear } = STEPS[method];
    for (const [problem, N] of [[linear, nLinear], nonlinear] as [Problem, number][]) {
      for (const n of [N, 2 * N, 4 * N, 8 * N]) {
        const h = problem.T / n;
        points.push({ problem: problem.name, method, order, h, error: globalError(method, problem, n) });
      }
    }
  }
  return points;
}

/**
 * One reference line per problem and order, over the step sizes measured for that order, a factor
 * 4 below the lowest of its methods' errors (so it runs parallel to them without hiding them).
 */
export function references(points: ErrorPoint[]): ReferencePoint[] {
  const lines: ReferencePoint[] = [];
  const keys = new Set(points.map((p) => `${p.problem}\u0000${p.order}`));
  for (const key of keys) {
    const [problem, orderText] = key.split('\u0000') as [string, string];
    const order = Number(orderText);
    const group = points.filter((p) => p.problem === problem && p.order === order);
    const c = Math.min(...group.map((p) => p.error / p.h ** order)) / 4;
    const hs = group.map((p) => p.h);
    for (const h of [Math.min(...hs), Math.max(...hs)]) {
      lines.push({ problem, order, h, error: c * h ** order, label: power(order) });
    }
  }
  return lines;
}

/** Colour by order (lines of one order run parallel to one reference line), shape by method. */
const ORDER_COLOURS: Record<number, string> = {
  1: '#1f77b4',
  2: '#ff7f0e',
  3: '#2ca02c',
  4: '#d62728',
  5: '#9467bd',
  8: '#8c564b',
};
const SHAPES = ['circle', 'square', 'triangle-up', 'diamond'];

/** Powers of ten from below lo to above hi, the log axes' ticks. */
function decades(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) ticks.push(10 ** k);
  return ticks;
}

/** The Vega-Lite spec: one log-log panel per problem, a shared legend. */
export function spec(points: ErrorPoint[], refs: ReferencePoint[]) {
  const methods = Object.keys(STEPS) as MethodName[];
  const legend = (m: MethodName) => `${m} (${METHODS[m].order})`;
  const shapeOf = (m: MethodName) => {
    const order = METHODS[m].order;
    return SHAPES[methods.filter((n) => METHODS[n].order === order).indexOf(m)]!;
  };
  const label = { field: 'label', type: 'nominal', title: 'method (order)' };
  const color = {
    ...label,
    scale: { domain: methods.map(legend), range: methods.map((m) => ORDER_COLOURS[METHODS[m].order]!) },
  };
  const shape = { ...label, scale: { domain: methods.map(legend), range: methods.map(shapeOf) } };
  const panel = (problem: string) => {
    const measured = points
      .filter((p) => p.problem === problem)
      .map((p) => ({ ...p, label: legend(p.method as MethodName) }));
    const ref = refs.filter((r) => r.problem === problem);
    const all = [...measured, ...ref];
    const hs = all.map((p) => p.h);
    const errors = all.map((p) => p.error);
    const x = {
      field: 'h',
      type: 'quantitative',
      title: 'step size h',
      scale: { type: 'log', nice: false, padding: 28 },
      axis: { format: '.0e', values: decades(Math.min(...hs), Math.max(...hs)) },
    };
    const y = {
      field: 'error',
      type: 'quantitative',
      title: 'max |error| at t = T',
      scale: { type: 'log', nice: false, padding: 8 },
      axis: { format: '.0e', values: decades(Math.min(...errors), Math.max(...errors)) },
    };
    return {
      title: problem.replace('^2', '²').replace('3x3', '3×3'),
      width: 250,
      height: 300,
      layer: [
        {
          data: { values: ref },
          mark: { type: 'line', color: '#444', strokeDash: [5, 4], strokeWidth: 1.2 },
          encoding: { x, y, detail: { field: 'order', type: 'nominal' } },
        },
        {
          data: { values: ref.filter((_, i) => i % 2 === 0) },
          mark: { type: 'text', align: 'right', dx: -4, dy: 3, fontSize: 12, color: '#222' },
          encoding: { x, y, text: { field: 'label' } },
        },
        {
          data: { values: measured },
          mark: { type: 'line', strokeWidth: 1.6, opacity: 0.85 },
          encoding: { x, y, color, detail: { field: 'method', type: 'nominal' } },
        },
        {
          data: { values: measured },
          mark: { type: 'point', filled: true, size: 45 },
          encoding: { x, y, color, shape },
        },
      ],
    };
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    padding: 12,
    title: {
      text: 'Global error against step size h, fixed steps',
      subtitle:
        'dashed: reference slopes hᵖ; the four 2-stage order-2 methods coincide on the linear system (same stability polynomial)',
      anchor: 'start',
      offset: 14,
    },
    config: { axis: { grid: true }, legend: { labelLimit: 200 } },
    hconcat: [...new Set(points.map((p) => p.problem))].map(panel),
    resolve: { scale: { color: 'shared', shape: 'shared' } },
  };
}

export async function main(out: string = DEFAULT_OUT, log: (...args: unknown[]) => void = console.log) {
  const points = measure();
  const refs = references(points);
  const svg = await renderSvg(spec(points, refs) as Parameters<typeof renderSvg>[0]);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, svg);
  log(`wrote ${out} (${points.length} measured points)`);
  return { out, svg, points, references: refs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv[2]);
