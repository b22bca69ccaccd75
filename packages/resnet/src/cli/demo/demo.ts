/**
 * `pnpm demo`: the guided tour end to end. Trains a neural ODE (continuous adjoint) and a ResNet
 * (SGD) on two spirals, runs the depth-scaling experiments in small configurations, and writes
 * out/demo/index.html (figures inline, the numbers, a paragraph on each) beside the JSONL rows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { renderSvg } from '../../experiments/figures/render.js';
import { meshIndependence } from '../../experiments/mesh-independence/index.js';
import { msaVsSgd } from '../../experiments/msa-vs-sgd/index.js';
import { rowsFile } from '../../experiments/output.js';
import { resnetToOde } from '../../experiments/resnet-to-ode/index.js';
import { scalingInit } from '../../experiments/scaling-init/index.js';
import { runSweep } from '../../experiments/sweep.js';
import type { AnyExperiment } from '../../experiments/types.js';
import { weightsVsDepth } from '../../experiments/weights-vs-depth/index.js';
import type { Io } from '../experiment-command.js';
import { progressBar } from '../progress.js';
import { type ClassifierRun, trainNeuralOde, trainResNet } from './classifiers.js';
import { type ReportSection, renderReport } from './report.js';

export interface DemoOptions {
  out: string;
  /** Tiny settings (seconds, for the tests); the figures show little. */
  quick: boolean;
  workers: number;
  progress: boolean;
}

interface DemoExperiment {
  exp: AnyExperiment;
  opts: (quick: boolean) => object;
  /** How to read its figures. */
  reading: string;
  /** One line for the terminal summary, from the measured numbers. */
  headline: (n: Record<string, number>) => string;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const f2 = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(2));
const sci = (x: number | undefined) => (x === undefined ? 'n/a' : x.toExponential(1));

const EXPERIMENTS: DemoExperiment[] = [
  {
    exp: scalingInit,
    opts: (q) =>
      q
        ? { ...scalingInit.presets.small, inits: ['iid', 'smooth'], depths: [4, 8], width: 4, samples: 3 }
        : { ...scalingInit.presets.small, samples: 12 },
    reading:
      'Each curve is the median over freshly drawn networks (band: 10% to 90%) of how far the hidden state moves ' +
      'through the whole network. With i.i.d. weights the curve for beta = 1/2 stays flat and below the bound of ' +
      'Corollary 4, beta = 1 falls like L^(-1/2) and beta = 1/4 explodes. With smooth weights the flat curve is ' +
      'beta = 1. The heatmap shows where the ratio crosses 1 as the weights get more correlated in depth (Hurst H).',
    headline: (n) =>
      `critical beta ${f2(n['iid.criticalBeta'])} for i.i.d. weights (theory 0.5), ${f2(n['smooth.criticalBeta'])} for smooth ones (theory 1)`,
  },
  {
    exp: resnetToOde,
    opts: (q) =>
      q
        ? {
            ...resnetToOde.presets.small,
            schemes: ['euler', 'rk4'],
            depths: [4, 8],
            perLayerSchemes: [],
            width: 2,
            hidden: 3,
            batch: 2,
          }
        : resnetToOde.presets.small,
    reading:
      'The error of a ResNet whose weights sample a smooth path theta(t), against the exact flow of the ODE, on ' +
      'log-log axes: straight lines whose slopes are the orders of the schemes, next to the dashed theory. At the ' +
      'bottom the errors meet the accuracy of the reference solution. Giving every stage of an RK4 layer the same ' +
      'weights (one weight set per layer) drops it to first order, since theta changes within the step.',
    headline: (n) =>
      `error slopes ${['euler', 'midpoint', 'bosh3', 'rk4', 'dopri5']
        .filter((s) => n[`${s}.slope`] !== undefined)
        .map((s) => `${s} ${f2(n[`${s}.slope`])}`)
        .join(', ')} (theory: minus the order)`,
  },
  {
    exp: weightsVsDepth,
    opts: (q) =>
      q
        ? {
            ...weightsVsDepth.presets.small,
            activations: ['tanh'],
            depths: [4, 8],
            width: 3,
            samples: 40,
            epochs: 1,
          }
        : weightsVsDepth.presets.small,
    reading:
      'After training, the weights started smooth in depth stay smooth: their increments shrink like 1/L and the ' +
      'curves of W_k against k/L for different L lie on one function. The weights started i.i.d. keep increments of ' +
      'order one, and their quadratic variation grows with L: training on this budget does not smooth them.',
    headline: (n) =>
      `max increment ~ L^${f2(n['tanh.smooth.incrementExponent'])} (tanh, smooth init) vs L^${f2(n['tanh.iid.incrementExponent'])} (tanh, iid init)`,
  },
  {
    exp: msaVsSgd,
    opts: (q) =>
      q
        ? { ...msaVsSgd.presets.small, methods: ['sgd', 'emsa'], iterations: 2, samples: 30 }
        : msaVsSgd.presets.small,
    reading:
      'All methods start from the same network and take one full-batch update per iteration. Basic MSA maximises ' +
      'each Hamiltonian without restraint and diverges; the extended MSA reaches a lower loss in fewer iterations ' +
      'than SGD and Adam, but each of its iterations solves one small optimisation per layer: compare the curves ' +
      'per second.',
    headline: (n) =>
      `final train loss: SGD ${sci(n['sgd.finalTrainLoss'])}, Adam ${sci(n['adam.finalTrainLoss'])}, ` +
      `MSA ${sci(n['msa.finalTrainLoss'])}, E-MSA ${sci(n['emsa.finalTrainLoss'])}`,
  },
  {
    exp: meshIndependence,
    opts: (q) =>
      q
        ? { ...meshIndependence.presets.small, depths: [4, 8], steps: 2, samples: 16, metrics: ['L2'] }
        : meshIndependence.presets.small,
    reading:
      'With the L^2 step the three meshes (16, 64, 256 layers) follow one training curve: the algorithm trains the ' +
      'continuous control theta(t), and the mesh only discretises it. With the Euclidean step the same learning ' +
      'rate moves each layer L times less, and finer meshes train more slowly.',
    headline: (n) =>
      `largest gap between the coarsest and finest mesh: ${n['L2.maxRelativeGap'] === undefined ? 'n/a' : pct(n['L2.maxRelativeGap'])} ` +
      `with the L^2 step, ${n['euclidean.maxRelativeGap'] === undefined ? 'n/a' : pct(n['euclidean.maxRelativeGap'])} with the Euclidean step`,
  },
];

function classifierSection(run: ClassifierRun, svgs: string[], file: string): ReportSection {
  const n = run.numbers;
  const isOde = run.name === 'neural-ode';
  const findings = [
    `test accuracy ${pct(n.testAccuracy)} after ${n.epochs} epochs (${n.seconds.toFixed(1)} s)`,
    ...(isOde
      ? [
          `dopri5 (rtol = atol = 1e-3): ${n.nfeForwardPerStep.toFixed(0)} function evaluations per forward solve and ` +
            `${n.nfeBackwardPerStep.toFixed(0)} per adjoint (backward) solve, per minibatch`,
          `at most ${n.peakStoredStates} states of the batch's size held at once, whatever the number of solver steps`,
        ]
      : []),
    ...run.notes,
  ];
  return {
    id: run.name,
    title: isOde
      ? 'A neural ODE on two spirals, trained with the adjoint method'
      : 'A ResNet on two spirals, trained with SGD',
    paragraphs: isOde
      ? [
          'The input x in R^2 is embedded into R^8, flows for one unit of time along dh/dt = V tanh(W h + b) + c, and ' +
            'the final state is read out as two logits. The flow is computed by the adaptive Dormand-Prince solver; ' +
            'the gradient of the loss comes from the continuous adjoint: the costate a(t) = dLoss/dh(t) is solved ' +
            'backwards in time with the same solver, so memory does not grow with the number of steps (Chen et al. 2018).',
          'Left: the probability of class 1 over the plane, with the test points. Two interleaved spirals cannot be ' +
            'separated by any linear model; the flow untangles them. Right: loss and error rate per epoch.',
        ]
      : [
          'A ResNet of 16 layers h <- h + 16^(-1/2) V tanh(W h + b) between a linear embedding and a linear read-out, ' +
            'trained by plain backprop and SGD with momentum. alpha = L^(-1/2) is the critical scaling of i.i.d. ' +
            'weights (the scaling-init section below): it lets the residual branches matter at initialisation ' +
            'without blowing up.',
          'Left: the decision regions it learned; right: its training curves.',
        ],
    svgs,
    findings,
    files: [file],
  };
}

export async function runDemo(o: DemoOptions, io: Io): Promise<{ report: string; seconds: number }> {
  const start = performance.now();
  mkdirSync(o.out, { recursive: true });
  const sections: ReportSection[] = [];
  const summary: string[] = [];
  const steps = 2 + EXPERIMENTS.length;
  let stepNo = 0;
  const header = (title: string) => io.out(`[${++stepNo}/${steps}] ${title}\n`);
  const svgsOf = async (figs: { name: string; spec: Parameters<typeof renderSvg>[0] }[]) => {
    const out: string[] = [];
    for (const f of figs) {
      const svg = await renderSvg(f.spec);
      writeFileSync(join(o.out, `${f.name}.svg`), svg);
      out.push(svg);
    }
    return out;
  };

  const trainingRows: object[] = [];
  const classifiers = [
    { title: 'neural ODE on two spirals, continuous adjoint gradients', train: trainNeuralOde, epochs: 25 },
    { title: 'ResNet on two spirals, SGD', train: trainResNet, epochs: 40 },
  ];
  for (const c of classifiers) {
    header(c.title);
    const run = c.train({
      epochs: o.quick ? 2 : c.epochs,
      samples: o.quick ? 160 : 800,
      progress: o.progress,
    });
    for (const h of run.history) trainingRows.push({ model: run.name, ...h });
    writeFileSync(join(o.out, 'training.jsonl'), trainingRows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    sections.push(classifierSection(run, await svgsOf(run.figures), 'training.jsonl'));
    summary.push(
      `${run.name}: test accuracy ${pct(run.numbers.testAccuracy)} in ${run.numbers.seconds.toFixed(1)} s`,
    );
  }

  for (const { exp, opts, reading, headline } of EXPERIMENTS) {
    header(`${exp.name}: ${exp.description}`);
    const bar = progressBar(exp.name, o.progress);
    const t0 = performance.now();
    const file = rowsFile(o.out, exp.name);
    const result = await runSweep(exp, opts(o.quick), {
      file,
      workers: o.workers,
      onProgress: (d, t) => bar.update(d, t),
    });
    bar.stop();
    const s = exp.summarize(result.rows);
    const seconds = (performance.now() - t0) / 1000;
    sections.push({
      id: exp.name,
      title: exp.title,
      paragraphs: [exp.claim, reading],
      svgs: await svgsOf(exp.figures(result.rows)),
      findings: [...s.lines, `${result.rows.length} rows in ${seconds.toFixed(1)} s`],
      files: [`${exp.name}.jsonl`],
      command: `pnpm resode ${exp.name} --preset large --out out/${exp.name}`,
    });
    summary.push(`${exp.name}: ${headline(s.numbers)}`);
  }

  const seconds = (performance.now() - start) / 1000;
  const report = resolve(o.out, 'index.html');
  writeFileSync(
    report,
    renderReport({
      title: 'resode: ResNets, neural ODEs and their depth limits',
      intro: [
        'This report was written by `pnpm demo`. It trains two classifiers on built-in data, then reproduces, in small ' +
          'configurations, the depth-scaling experiments of the ResNet literature. Every number and figure below was ' +
          'measured by this run; each experiment is one command of the resode CLI, whose rows are in the JSONL files ' +
          'next to this page.',
      ],
      meta: [
        `generated ${new Date().toISOString()}`,
        `${seconds.toFixed(0)} s on ${availableParallelism()} core(s) (${cpus()[0]?.model ?? 'unknown CPU'})`,
        `Node ${process.version}`,
        `${o.workers} worker thread(s)`,
        ...(o.quick ? ['quick mode: tiny settings'] : []),
      ],
      sections,
    }),
  );
  io.out('\nSummary\n');
  for (const line of summary) io.out(`  ${line}\n`);
  io.out(`\nReport: ${report} (${seconds.toFixed(0)} s)\n`);
  return { report, seconds };
}
