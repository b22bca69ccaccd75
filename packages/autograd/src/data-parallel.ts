/**
 * Data parallelism on the cores of one machine: the gradient of a loss over a batch, computed on
 * several threads, each on its own rows of the batch (PyTorch's DistributedDataParallel, JAX's
 * pmap, on worker_threads).
 *
 * A loss that is a mean over the rows of a batch splits exactly: with shards of n_1, ..., n_P rows
 * out of n, L = sum_i (n_i / n) L_i, so its gradient with respect to any replicated argument (the
 * weights) is sum_i (n_i / n) grad L_i, and its gradient with respect to the batch is the shards'
 * gradients, scaled by n_i / n, stacked back (for a sum, every weight is 1). This thread computes
 * the first shard while the workers compute the others. Each worker imports the module that
 * exports the loss (a function cannot be sent to a thread), keeps its own tape and storage pool,
 * and meets this thread on a shared control word (Atomics.wait / Atomics.notify), so a step is an
 * ordinary synchronous call. Arguments in, value and gradients out go through one
 * SharedArrayBuffer per worker.
 */
import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as T from '@resode/tensor';
import { fmtShape } from '@resode/tensor';
import { State } from './data-parallel-protocol.js';
import {
  failureOf,
  outputsOf,
  post,
  setIdle,
  startWorker,
  stopWorker,
  waitFor,
} from './data-parallel-threads.js';
import { AutogradError } from './errors.js';
import { mode } from './mode.js';
import { constant, toVar } from './ops.js';
import { type Fn, valueAndGrad } from './transforms.js';
import type { Var, VarLike } from './var.js';

export type DataParallelOptions = {
  /** Threads in all, this one included (default: the machine's available parallelism). */
  threads?: number;
  /** Positions of the arguments that hold the batch: each is split along its first axis. */
  shardArgs: readonly number[];
  /**
   * How f's value depends on the rows: 'mean' when it is a mean over them (the shards' values and
   * gradients are weighted by their share of the rows), 'sum' when it is a sum (weights 1). Any
   * other loss (one that couples the rows, e.g. batch normalisation) has no exact split.
   */
  reduction: 'mean' | 'sum';
  /** As valueAndGrad's option, on every thread (default false). */
  reuseStorage?: boolean;
  /**
   * How long a step waits for a worker's shard before it gives up on that worker, in ms (default
   * 600000). A worker that throws or exits is reported at once; this bounds the wait for one that
   * never answers (an endless loop, or killed out of memory without running its exit handler).
   */
  timeoutMs?: number;
};

export type DataParallel = {
  /** f's value and its gradient with respect to every argument, as valueAndGrad(f) would give them. */
  valueAndGrad(...xs: VarLike[]): { value: Var; grads: Var[] };
  /** How many threads it runs on: its workers and this one (a batch of fewer rows uses one thread a row). */
  readonly threads: number;
  /** Stops the workers; the object cannot be used after. */
  close(): Promise<void>;
};

/** The module's URL: a URL, an absolute URL string, or an absolute path (a relative one has no base). */
function moduleHref(moduleUrl: string | URL): string {
  if (moduleUrl instanceof URL) return moduleUrl.href;
  if (isAbsolute(moduleUrl)) return pathToFileURL(moduleUrl).href;
  if (URL.canParse(moduleUrl)) return new URL(moduleUrl).href;
  throw new AutogradError(
    `dataParallel: the module must be given as a URL or an absolute path, got '${moduleUrl}' (e.g. new URL('./loss.js', import.meta.url))`,
  );
}

/** Rows [start, end) of each of `shards` near-equal shards of n rows (the first ones one row longer). */
function shardRows(n: number, shards: number): [number, number][] {
  const base = Math.floor(n / shards);
  const longer = n % shards;
  const rows: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < shards; i++) {
    const end = start + base + (i < longer ? 1 : 0);
    rows.push([start, end]);
    start = end;
  }
  return rows;
}

/** The number of rows of the batch: the first axis that every sharded argument shares. */
function batchRows(values: readonly T.Tensor[], shardArgs: ReadonlySet<number>): number {
  const sharded = [...shardArgs].map((i) => {
    if (i >= values.length) {
      throw new AutogradError(
        `dataParallel: shardArgs [${[...shardArgs].join(', ')}] names argument ${i}, but f was given ${values.length}`,
      );
    }
    return [i, values[i]!] as const;
  });
  for (const [i, v] of sharded) {
    if (v.rank === 0 || v.shape[0] === 0) {
      throw new T.ShapeError(
        `dataParallel: argument ${i} is sharded, so it needs a first axis with at least one row (the batch), got shape ${fmtShape(v.shape)}`,
      );
    }
  }
  const [first, x] = sharded[0]!;
  for (const [i, v] of sharded) {
    if (v.shape[0] !== x.shape[0]) {
      throw new T.ShapeError(
        `dataParallel: sharded arguments must share their first axis (the batch): argument ${first} has shape ${fmtShape(x.shape)}, argument ${i} has ${fmtShape(v.shape)}`,
      );
    }
  }
  return x.shape[0]!;
}

/**
 * valueAndGrad of the function exported as `exportName` by the ES module at `moduleUrl`, over
 * `threads` threads, each on its own rows of the arguments named in `shardArgs`. Resolves once
 * every worker has imported the module. f must be an ordinary Fn (Vars in, a scalar Var out) and
 * must make its Vars with the same copy of @resode/autograd as this one (import it by name).
 * A step is not differentiable further (its result is a constant).
 */
export async function dataParallel(
  moduleUrl: string | URL,
  exportName: string,
  options: DataParallelOptions,
): Promise<DataParallel> {
  const url = moduleHref(moduleUrl);
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new AutogradError(`dataParallel: threads must be a positive integer, got ${threads}`);
  }
  if (options.reduction !== 'mean' && options.reduction !== 'sum') {
    throw new AutogradError(
      `dataParallel: reduction must be 'mean' or 'sum', got ${String(options.reduction)}`,
    );
  }
  const shardArgs = new Set(options.shardArgs);
  if (shardArgs.size === 0 || [...shardArgs].some((i) => !Number.isInteger(i) || i < 0)) {
    throw new AutogradError(
      `dataParallel: shardArgs must name at least one argument by its position (0, 1, ...), got [${options.shardArgs.join(', ')}]`,
    );
  }
  const reuseStorage = options.reuseStorage ?? false;
  const timeoutMs = options.timeoutMs ?? 600_000;
  if (!(timeoutMs > 0)) {
    throw new AutogradError(`dataParallel: timeoutMs must be a positive number of ms, got ${timeoutMs}`);
  }

  const f = (await import(url))[exportName] as Fn;
  if (typeof f !== 'function') {
    throw new AutogradError(
      `dataParallel: the module ${url} has no exported function '${exportName}' (got ${typeof f})`,
    );
  }
  const local = valueAndGrad(f, { reuseStorage });
  const started = await Promise.allSettled(
    Array.from({ length: threads - 1 }, () => startWorker(url, exportName, reuseStorage)),
  );
  const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const refused = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (refused !== undefined) {
    await Promise.all(workers.map(stopWorker));
    throw refused.reason;
  }
  let closed = false;

  const step = (...xs: VarLike[]): { value: Var; grads: Var[] } => {
    if (closed) throw new AutogradError('dataParallel: valueAndGrad called after close()');
    if (mode.recording && mode.depth > 0) {
      throw new AutogradError(
        'dataParallel: a step cannot be differentiated (it runs inside another transform)',
      );
    }
    const values = xs.map((x) => toVar(x).value);
    const n = batchRows(values, shardArgs);
    const lost = workers.findIndex((w) => w.failed !== undefined);
    if (lost >= 0) {
      throw new AutogradError(
        `dataParallel: worker ${lost + 1} was lost (${workers[lost]!.failed!.message}); close() this one and make a new one`,
      );
    }
    const rows = shardRows(n, Math.min(workers.length + 1, n));
    const shardOf = (s: number) =>
      values.map((v, i) => (shardArgs.has(i) ? v.slice([[rows[s]![0], rows[s]![1]]]) : v));

    // Post each worker its shard, then run the first one here while they run theirs.
    const busy = workers.slice(0, rows.length - 1);
    busy.forEach((w, s) => {
      post(w, shardOf(s + 1));
    });
    let mine: { value: Var; grads: Var[] } | undefined;
    let mineFailed: { error: unknown } | undefined;
    try {
      mine = local(...shardOf(0));
    } catch (error) {
      mineFailed = { error }; // thrown once the workers are idle again
    }

    // Wait for the workers' shards, combine them (see the header), and set each worker idle.
    const failures = busy.flatMap((w, s) =>
      waitFor(w, timeoutMs) === State.Done
        ? []
        : [failureOf(w, `worker ${s + 1} (rows [${rows[s + 1]!.join(', ')}))`)],
    );
    try {
      // This thread's error first, as it was thrown (the workers' shards likely failed alike).
      if (mineFailed !== undefined) throw mineFailed.error;
      if (failures.length > 0) {
        throw new AutogradError(`dataParallel: ${failures.map((f) => f.message).join('; ')}`, {
          cause: failures[0]!.cause,
        });
      }
      const weights = rows.map(([s, e]) => (options.reduction === 'mean' ? (e - s) / n : 1));
      const shards = [
        { value: mine!.value.item(), grads: mine!.grads.map((g) => g.value.values()) },
        ...busy.map((w) => outputsOf(w.job!)),
      ];
      let value = 0;
      shards.forEach((shard, s) => {
        value += shard.value * weights[s]!;
      });
      const grads = values.map((v, i) => {
        const parts = shards.map((shard) => shard.grads[i]!);
        const g = shardArgs.has(i) ? stacked(parts, weights) : weightedSum(parts, weights);
        return constant(T.Tensor.view(g, v.shape));
      });
      return { value: constant(T.Tensor.view(Float64Array.of(value), mine!.value.shape)), grads };
    } finally {
      for (const w of busy) setIdle(w);
    }
  };

  return {
    valueAndGrad: step,
    threads: workers.length + 1,
    async close() {
      closed = true;
      await Promise.all(workers.map(stopWorker));
    },
  };
}

/** sum_s weights[s] parts[s], in the order of the shards (a replicated argument's gradient). */
function weightedSum(parts: Float64Array[], weights: number[]): Float64Array {
  const out = T.allocate(parts[0]!.length);
  const [first, w0] = [parts[0]!, weights[0]!];
  for (let j = 0; j < out.length; j++) out[j] = first[j]! * w0;
  for (let s = 1; s < parts.length; s++) {
    const [part, w] = [parts[s]!, weights[s]!];
    for (let j = 0; j < out.length; j++) out[j] = out[j]! + part[j]! * w;
  }
  return out;
}

/** weights[s] parts[s] one after the other (a sharded argument's gradient: its shards' rows in order). */
function stacked(parts: Float64Array[], weights: number[]): Float64Array {
  const out = T.allocate(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  parts.forEach((part, s) => {
    const w = weights[s]!;
    for (let j = 0; j < part.length; j++) out[at + j] = part[j]! * w;
    at += part.length;
  });
  return out;
}
