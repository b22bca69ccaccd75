/**
 * Timing with tinybench: warm-up first, then repeated runs; we report the median and the spread
 * (min and max) in milliseconds. Every figure of the benchmark table comes from here.
 */
import { Bench } from 'tinybench';

export type Timing = { medianMs: number; minMs: number; maxMs: number; samples: number };

export async function time(name: string, fn: () => unknown, quick: boolean): Promise<Timing> {
  const bench = new Bench({
    name,
    time: quick ? 300 : 2000,
    iterations: quick ? 3 : 10,
    // Even a smoke run wants V8 to have optimised the hot loops before it measures: a single
    // warm-up iteration of a 60 ms workload may not be enough for that.
    warmupTime: quick ? 300 : 500,
    warmupIterations: quick ? 3 : 3,
  });
  bench.add(name, fn);
  await bench.run();
  const result = bench.tasks[0]!.result;
  if (result.state !== 'completed') {
    throw new Error(
      `benchmark ${name} did not complete (${result.state}${'error' in result ? `: ${String(result.error)}` : ''})`,
    );
  }
  const { latency } = result;
  return {
    medianMs: latency.p50,
    minMs: latency.min,
    maxMs: latency.max,
    samples: latency.samples?.length ?? 0,
  };
}

/**
 * The quick timing of a workload file run on its own (`node bench/dist/w1.js`): `warmup` runs,
 * then `runs` timed ones. Returns the median, min and max in ms and the last run's result.
 */
export function sampleMs<T>(
  run: () => T,
  runs: number,
  warmup: number,
): { median: number; min: number; max: number; last: T } {
  let last = run();
  for (let i = 1; i < warmup; i++) last = run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, max: times.at(-1)!, last };
}
