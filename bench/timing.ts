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

/** One workload's rounds in `alternatingRounds`: each round's median, and the fastest step and the last result over all. */
export type RoundsResult<T> = { label: string; medians: number[]; median: number; min: number; last: T };

/**
 * Several workloads timed in alternating rounds (`sampleMs` of `perRound` runs each, in turn), so
 * that a change of the host's load falls on all of them alike; warm-up runs (`warmup`) in the first
 * round only. `median` is the median of the round medians.
 */
export function alternatingRounds<T>(
  runs: readonly { label: string; run: () => T }[],
  rounds: number,
  perRound: number,
  warmup: number,
): RoundsResult<T>[] {
  const results = runs.map(({ label }) => ({
    label,
    medians: [] as number[],
    median: 0,
    min: Infinity,
    last: undefined as T,
  }));
  for (let r = 0; r < rounds; r++) {
    runs.forEach(({ run }, i) => {
      const t = sampleMs(run, perRound, r === 0 ? warmup : 1);
      results[i]!.medians.push(t.median);
      results[i]!.min = Math.min(results[i]!.min, t.min);
      results[i]!.last = t.last;
    });
  }
  for (const x of results) x.median = [...x.medians].sort((a, b) => a - b)[Math.floor(x.medians.length / 2)]!;
  return results;
}
