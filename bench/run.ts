/**
 * `pnpm bench [--quick] [--no-save] [--only W1,W2,...] [--no-torch]`: workloads W1-W5 of DESIGN.md
 * for resode, TensorFlow.js CPU (same process, float32) and PyTorch CPU (a separate process,
 * float64, when /usr/bin/python3 has torch). Prints a table of medians with their spread and the
 * ratios resode/peer, then writes bench/results/<date>.json and a bar chart of the ratios (.svg).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSvg, scalingAtInit } from '@resode/resnet';
import type { ParallelWorkload } from './losses.js';
import { benchMatmul, type MatmulResult } from './matmul.js';
import { benchMatmulParallel } from './matmul-parallel.js';
import { canMeasureMemory, type W3Memory, w1TapeMiB, w3MemoryMiB } from './memory.js';
import { benchOverhead } from './overhead.js';
import { benchDir } from './paths.js';
import { setupTfjs, tfjsVersion, tfjsW1, tfjsW2, tfjsW4, tfjsW5 } from './peers/tfjs.js';
import { type Timing, time } from './timing.js';
import { w1Resode, w1ResodeParallel } from './w1.js';
import { w1ResNet } from './w1-resnet.js';
import { w2Resode, w2ResodeParallel } from './w2.js';
import { w3Resode, w3ResodeBackprop, w3ResodeSeminorm } from './w3.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const save = !args.includes('--no-save');
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = new Set(
  (onlyArg?.split('=')[1] ?? args[args.indexOf('--only') + 1] ?? 'W1,W2,W3,W4,W5,OVERHEAD')
    .toUpperCase()
    .split(','),
);
if (!onlyArg) for (const w of ['W1', 'W2', 'W3', 'W4', 'W5', 'OVERHEAD']) only.add(w);

type PeerTiming = Timing & { note?: string };
type Row = {
  workload: string;
  unit: 'ms' | 'GFLOP/s' | 'µs/op';
  resode: PeerTiming;
  tfjs?: PeerTiming;
  pytorch?: PeerTiming;
  extra?: Record<string, unknown>;
};

type TorchReport = {
  version: string;
  threads: number;
  blasThreads: number | null;
  results: Record<
    string,
    Timing & {
      check?: number;
      nfe?: number;
      gflops?: number;
      oneThread?: { medianMs: number; gflops: number };
      twoThreads?: Timing;
    }
  >;
};

function runTorch(): { report?: TorchReport; note: string } {
  if (args.includes('--no-torch')) return { note: 'PyTorch skipped (--no-torch)' };
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return { note: 'PyTorch not installed (apt-get install -y python3-torch): skipped' };
  }
  const workloads = [...only].filter((w) => w.startsWith('W')).join(',');
  const out = execFileSync(
    '/usr/bin/python3',
    [join(benchDir, 'peers', 'torch_bench.py'), ...(quick ? ['--quick'] : []), '--only', workloads],
    { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 },
  );
  const report = JSON.parse(out) as TorchReport;
  return { report, note: `PyTorch ${report.version} CPU float64, ${report.threads} threads` };
}

const single = (medianMs: number): PeerTiming => ({ medianMs, minMs: medianMs, maxMs: medianMs, samples: 1 });
/** A GFLOP/s row: the median, with the slowest and fastest samples as its spread (see bench/matmul.ts). */
const gflopsRow = (r: MatmulResult): PeerTiming => ({
  medianMs: r.resodeGflops,
  minMs: r.resodeWorstGflops,
  maxMs: r.resodeBestGflops,
  samples: 1,
  note: `fastest sample ${r.resodeBestGflops.toFixed(2)}`,
});

/** A workload on both cores: resode's dataParallel against PyTorch on two intra-op threads. */
async function bothCores(
  name: string,
  make: (threads: number) => Promise<ParallelWorkload>,
  pytorch: Timing | undefined,
): Promise<Row> {
  const parallel = await make(2);
  try {
    return {
      workload: `${name} ... on both cores (dataParallel; PyTorch on 2 threads)`,
      unit: 'ms',
      resode: {
        ...(await time(`${name} resode dataParallel`, parallel.run, quick)),
        note: `${parallel.threads} threads`,
      },
      pytorch,
    };
  } finally {
    await parallel.close();
  }
}

async function main(): Promise<void> {
  // PyTorch first, alone, so that it does not share the cores with our own runs.
  const torch = runTorch();
  const tr = torch.report?.results ?? {};
  await setupTfjs();
  const rows: Row[] = [];

  if (only.has('W1')) {
    rows.push({
      workload: 'W1 deep ResNet L=256 d=16 b=128, fwd+bwd',
      unit: 'ms',
      resode: await time('W1 resode', w1Resode(), quick),
      tfjs: await time('W1 tfjs', tfjsW1(), quick),
      pytorch: tr.W1,
    });
    const tfjs = rows.at(-1)!.tfjs;
    rows.push({
      workload: 'W1 ... with the ResNet class (one fused node per layer)',
      unit: 'ms',
      resode: await time('W1 resode ResNet class', w1ResNet(), quick),
      tfjs,
      pytorch: tr.W1,
    });
    rows.push(await bothCores('W1', w1ResodeParallel, tr.W1?.twoThreads));
  }
  if (only.has('W2')) {
    rows.push({
      workload: 'W2 neural ODE RK4 h=0.05 b=256, fwd+bwd',
      unit: 'ms',
      resode: await time('W2 resode', w2Resode(), quick),
      tfjs: await time('W2 tfjs', tfjsW2(), quick),
      pytorch: tr.W2,
    });
    rows.push(await bothCores('W2', w2ResodeParallel, tr.W2?.twoThreads));
  }
  if (only.has('W3')) {
    const adjoint = w3Resode();
    const semi = w3ResodeSeminorm();
    const backprop = w3ResodeBackprop();
    const nfe = { adjoint: adjoint(), seminorm: semi(), backprop: backprop() };
    rows.push({
      workload: 'W3 dopri5 rtol 1e-6 + continuous adjoint',
      unit: 'ms',
      resode: await time('W3 resode adjoint', adjoint, quick),
      pytorch: tr.W3 && { ...tr.W3, note: 'backprop through dopri5' },
      extra: { nfe, pytorchNfeForward: tr.W3?.nfe },
    });
    rows.push({
      workload: 'W3 ... adjoint with seminorm',
      unit: 'ms',
      resode: await time('W3 resode seminorm', semi, quick),
      pytorch: tr.W3,
    });
    rows.push({
      workload: 'W3 ... backprop through dopri5',
      unit: 'ms',
      resode: await time('W3 resode backprop', backprop, quick),
      pytorch: tr.W3,
    });
  }
  if (only.has('W4')) {
    const mm = await benchMatmul({ quick });
    const big = mm.find((r) => r.shape === '256x256x256')!;
    const small = mm.find((r) => r.shape === '128x16x16');
    const tfjsW4Timing = await time('W4 tfjs', tfjsW4(), quick);
    rows.push({
      workload: 'W4 matmul 256x256 (GFLOP/s, higher is better)',
      unit: 'GFLOP/s',
      resode: gflopsRow(big),
      tfjs: { ...single(big.tfjsGflops), note: `${tfjsW4Timing.medianMs.toFixed(2)} ms/matmul` },
      pytorch: tr.W4 && {
        ...single(tr.W4.gflops ?? 0),
        note: `1 thread: ${tr.W4.oneThread?.gflops.toFixed(1)} GFLOP/s`,
      },
      extra: { shapes: mm, pytorchOneThreadGflops: tr.W4?.oneThread?.gflops },
    });
    const two = (await benchMatmulParallel({ quick })).find((r) => r.shape === '256x256x256')!;
    rows.push({
      workload: 'W4c matmul 256x256 on both cores (matmulParallel, GFLOP/s)',
      unit: 'GFLOP/s',
      resode: {
        ...single(two.twoThreadsGflops),
        note: `1 thread in the same run: ${two.oneThreadGflops.toFixed(2)}`,
      },
      pytorch: tr.W4 && single(tr.W4.gflops ?? 0),
      extra: { twoThreads: two },
    });
    if (small) {
      rows.push({
        workload: 'W4b matmul 128x16 @ 16x16 (GFLOP/s)',
        unit: 'GFLOP/s',
        resode: gflopsRow(small),
        tfjs: single(small.tfjsGflops),
      });
    }
  }
  if (only.has('W5')) {
    const config = { betas: [0.25, 0.5, 1], depths: [10, 100, 1000], width: 64, samples: 20, seed: 0 };
    let table: unknown;
    rows.push({
      workload: 'W5 scaling at init, 3 betas x L in {10,100,1000}, d=64, 20 samples',
      unit: 'ms',
      resode: await time(
        'W5 resode',
        () => {
          table = scalingAtInit(config);
        },
        true,
      ),
      tfjs: await time('W5 tfjs', tfjsW5(), true),
      pytorch: tr.W5,
      extra: { rows: table },
    });
  }
  if (only.has('OVERHEAD')) {
    // A full collection first: the per-op figures are fractions of a µs, and the garbage that the
    // workloads above left would otherwise be collected inside them.
    (globalThis as { gc?: () => void }).gc?.();
    const ops = benchOverhead({ quick });
    const worst = ops.reduce((a, b) => (b.autogradUs > a.autogradUs ? b : a));
    rows.push({
      workload: `tape overhead per op on [2] tensors (worst: ${worst.op}, fwd+bwd)`,
      unit: 'µs/op',
      resode: single(worst.autogradUs),
      extra: { ops },
    });
  }

  const memory: Record<string, number> = {};
  if (canMeasureMemory() && only.has('W1')) {
    for (const L of quick ? [256] : [256, 1024])
      memory[`W1 tape memory MiB (heap + ArrayBuffers), L=${L}`] = w1TapeMiB(L);
  }
  const w3Memory: W3Memory[] = [];
  if (canMeasureMemory() && only.has('W3')) {
    for (const steps of quick ? [10, 100, 1000] : [10, 100, 1000, 10000])
      w3Memory.push(w3MemoryMiB(steps, { backprop: steps <= 1000 }));
  }

  print(rows, torch.note, memory, w3Memory);
  if (save) await writeResults(rows, torch.note, { ...memory, w3Memory });
}

function fmt(t: PeerTiming | undefined, unit: string): string {
  if (!t) return '-';
  const digits = t.medianMs >= 100 ? 0 : t.medianMs >= 10 ? 1 : 2;
  if (unit !== 'ms') return t.medianMs.toFixed(2);
  return `${t.medianMs.toFixed(digits)} (${t.minMs.toFixed(digits)}-${t.maxMs.toFixed(digits)})`;
}

/** resode / peer for times (below 1: resode faster); peer / resode for GFLOP/s, so below 1 still means resode ahead. */
function ratio(row: Row, peer: PeerTiming | undefined): number | undefined {
  if (!peer) return undefined;
  return row.unit === 'GFLOP/s' ? peer.medianMs / row.resode.medianMs : row.resode.medianMs / peer.medianMs;
}

function print(rows: Row[], torchNote: string, memory: Record<string, number>, w3Memory: W3Memory[]): void {
  const w = [58, 22, 22, 22, 10, 10];
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('');
  console.log(`\nresode float64 vs TensorFlow.js ${tfjsVersion} CPU (float32, no float64) and ${torchNote}`);
  console.log(
    'times: median (min-max) over repeated runs after warm-up; ratio = resode/peer time (< 1: resode faster)\n',
  );
  console.log(line(['workload', 'resode', 'tfjs', 'pytorch', 'r/tfjs', 'r/torch']));
  for (const r of rows) {
    const rt = ratio(r, r.tfjs);
    const rp = ratio(r, r.pytorch);
    console.log(
      line([
        r.workload.slice(0, w[0]! - 1),
        fmt(r.resode, r.unit),
        fmt(r.tfjs, r.unit),
        fmt(r.pytorch, r.unit),
        rt === undefined ? '-' : rt.toFixed(2),
        rp === undefined ? '-' : rp.toFixed(2),
      ]),
    );
  }
  const w3 = rows.find((r) => r.workload.startsWith('W3 dopri5'));
  if (w3?.extra) console.log(`\nW3 function evaluations: ${JSON.stringify(w3.extra)}`);
  for (const [k, v] of Object.entries(memory)) console.log(`${k}: ${v.toFixed(1)}`);
  if (w3Memory.length > 0) {
    console.log(
      '\nW3 memory after the forward solve, MiB (heap + ArrayBuffers), RK4 with N steps on [0, 1], batch 16:',
    );
    console.log(`${'steps'.padStart(8)}${'adjoint'.padStart(10)}${'backprop'.padStart(10)}`);
    for (const r of w3Memory) {
      const bp = r.backpropMiB === undefined ? '-' : r.backpropMiB.toFixed(2);
      console.log(`${String(r.steps).padStart(8)}${r.adjointMiB.toFixed(2).padStart(10)}${bp.padStart(10)}`);
    }
  }
}

async function writeResults(rows: Row[], torchNote: string, memory: Record<string, unknown>): Promise<void> {
  const dir = join(benchDir, 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 10);
  const machine = { node: process.version, cpus: (await import('node:os')).cpus().length };
  const json = {
    date: new Date().toISOString(),
    quick,
    machine,
    torch: torchNote,
    tfjs: tfjsVersion,
    rows,
    memory,
  };
  writeFileSync(join(dir, `${stamp}.json`), `${JSON.stringify(json, null, 2)}\n`);
  const values = rows.flatMap((r) =>
    (['tfjs', 'pytorch'] as const).flatMap((peer) => {
      const v = ratio(r, r[peer]);
      return v === undefined ? [] : [{ workload: r.workload.split(' ')[0], peer, ratio: v }];
    }),
  );
  const svg = await renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'resode time / peer time (below 1: resode faster)',
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'workload', type: 'nominal', title: null },
      xOffset: { field: 'peer' },
      y: { field: 'ratio', type: 'quantitative', scale: { type: 'log' }, title: 'ratio (log scale)' },
      color: { field: 'peer', type: 'nominal' },
    },
    width: 360,
    height: 220,
  });
  writeFileSync(join(dir, `${stamp}.svg`), svg);
  console.log(`\nwrote bench/results/${stamp}.json and .svg`);
}

await main();
