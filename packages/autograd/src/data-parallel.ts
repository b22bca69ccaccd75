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
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import * as T from '@resode/tensor';
import { fmtShape } from '@resode/tensor';
import { type Job, layoutOf, State } from './data-parallel-protocol.js';
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
};

export type DataParallel = {
  /** f's value and its gradient with respect to every argument, as valueAndGrad(f) would give them. */
  valueAndGrad(...xs: VarLike[]): { value: Var; grads: Var[] };
  /** How many threads a step uses (the workers that started, plus this one). */
  readonly threads: number;
  /** Stops the workers; the object cannot be used after. */
  close(): Promise<void>;
};

/** How long this thread waits for a worker's shard before it gives up (a stuck worker never answers). */
const WAIT_MS = 600_000;

type WorkerSlot = {
  worker: Worker;
  control: Int32Array;
  port: MessagePort;
  job: Job | undefined;
  failed: Error | undefined;
};

/**
 * The worker module beside this one. From the TypeScript sources (tests, tsx scripts) the worker
 * first registers tsx's loader, and resolves @resode/* to their sources as this thread does.
 */
function spawnWorker(workerData: object, transferList: MessagePort[]): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./data-parallel-worker.js', import.meta.url), {
      workerData,
      transferList,
      execArgv: [],
    });
  }
  const url = new URL('./data-parallel-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`;
  return new Worker(boot, { workerData, transferList, eval: true, execArgv: ['--conditions=resode-source'] });
}

/** Starts one worker; resolves once it has imported the module and waits for jobs. */
function startWorker(moduleUrl: string, exportName: string, reuseStorage: boolean): Promise<WorkerSlot> {
  const control = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const { port1, port2 } = new MessageChannel();
  const worker = spawnWorker({ control, port: port2, moduleUrl, exportName, reuseStorage }, [port2]);
  const slot: WorkerSlot = { worker, control, port: port1, job: undefined, failed: undefined };
  return new Promise<WorkerSlot>((resolve, reject) => {
    const fail = (e: Error) => {
      slot.failed ??= e;
      reject(new AutogradError(`dataParallel: a worker could not start: ${e.message}`));
    };
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`it exited (code ${code})`)));
    const started = (
      Atomics as unknown as {
        waitAsync(a: Int32Array, i: number, v: number): { value: Promise<string> | string };
      }
    ).waitAsync(control, 0, State.Starting);
    void Promise.resolve(started.value).then(() => {
      if (Atomics.load(control, 0) !== State.Idle) return;
      worker.unref();
      port1.unref();
      resolve(slot);
    });
  });
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
  const [first, x] = sharded[0]!;
  for (const [i, v] of sharded) {
    if (v.rank === 0 || v.shape[0] !== x.shape[0]) {
      throw new T.ShapeError(
        `dataParallel: sharded arguments must share their first axis (the batch): argument ${first} has shape ${fmtShape(x.shape)}, argument ${i} has ${fmtShape(v.shape)}`,
      );
    }
  }
  if (x.rank === 0 || x.shape[0] === 0) {
    throw new T.ShapeError(
      `dataParallel: the batch is empty or missing (argument ${first} has shape ${fmtShape(x.shape)})`,
    );
  }
  return x.shape[0]!;
}

const sameShapes = (a: readonly (readonly number[])[], b: readonly (readonly number[])[]) =>
  a.length === b.length && a.every((s, i) => s.length === b[i]!.length && s.every((d, j) => d === b[i]![j]));

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
  const url = moduleUrl instanceof URL ? moduleUrl.href : moduleUrl;
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
    await Promise.all(workers.map((w) => w.worker.terminate()));
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
      const args = shardOf(s + 1);
      const shapes = args.map((a) => [...a.shape]);
      if (w.job === undefined || !sameShapes(w.job.shapes, shapes)) {
        const { length } = layoutOf(shapes);
        w.job = {
          shapes,
          io: new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT)),
        };
        w.port.postMessage(w.job);
      }
      const { argAt } = layoutOf(shapes);
      args.forEach((a, i) => {
        w.job!.io.set(a.values(), argAt[i]!);
      });
      Atomics.store(w.control, 0, State.Run);
      Atomics.notify(w.control, 0);
    });
    let mine: { value: Var; grads: Var[] } | undefined;
    let mineFailed: { error: unknown } | undefined;
    try {
      mine = local(...shardOf(0));
    } catch (error) {
      mineFailed = { error }; // thrown once the workers are idle again
    }

    // Wait for the workers' shards, combine them (see the header), and set each worker idle.
    const failures: string[] = [];
    busy.forEach((w, s) => {
      if (waitFor(w) !== State.Done) {
        failures.push(`worker ${s + 1} (rows ${rows[s + 1]![0]}-${rows[s + 1]![1]}): ${workerMessage(w)}`);
      }
    });
    try {
      if (mineFailed !== undefined) throw mineFailed.error;
      if (failures.length > 0) throw new AutogradError(`dataParallel: ${failures.join('; ')}`);
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
      return { value: constant(T.tensor(value)), grads };
    } finally {
      for (const w of busy) {
        Atomics.store(w.control, 0, State.Idle);
        Atomics.notify(w.control, 0);
      }
    }
  };

  return {
    valueAndGrad: step,
    threads: workers.length + 1,
    async close() {
      closed = true;
      for (const w of workers) {
        Atomics.store(w.control, 0, State.Stop);
        Atomics.notify(w.control, 0);
      }
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}

/** A finished shard's value, and its gradients as views of the worker's buffer (read before it is set idle). */
function outputsOf(job: Job): { value: number; grads: Float64Array[] } {
  const { valueAt, gradAt } = layoutOf(job.shapes);
  const grads = job.shapes.map((shape, i) =>
    job.io.subarray(gradAt[i]!, gradAt[i]! + shape.reduce((a, b) => a * b, 1)),
  );
  return { value: job.io[valueAt]!, grads };
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

/** Blocks until the worker has finished its shard; the state it finished in. */
function waitFor(w: WorkerSlot): number {
  let state = Atomics.load(w.control, 0);
  while (state === State.Run) {
    if (Atomics.wait(w.control, 0, State.Run, WAIT_MS) === 'timed-out') {
      w.failed = new Error(`no answer within ${WAIT_MS / 1000} s`);
      return State.Failed;
    }
    state = Atomics.load(w.control, 0);
  }
  return state;
}

/** The error a worker posted for its last shard (or why it gave none). */
function workerMessage(w: WorkerSlot): string {
  if (w.failed !== undefined) return w.failed.message;
  const message = receiveMessageOnPort(w.port)?.message;
  return message === undefined ? 'it failed without a message' : String(message);
}
