/**
 * C = A B on two threads: this one and one worker thread (worker_threads), for large 2-D products.
 *
 * The rows of C are split in two. The main thread computes the first half straight from A and B;
 * the worker computes the second half from shared copies (SharedArrayBuffer) of its rows of A and
 * of B, into a shared C block that the main thread then copies into the result. The copies cost
 * O(mk + kn + mn) against the O(mkn) of the product, so this pays from about 128 x 128 x 128 on:
 * smaller products take `matmul` on this thread (see PARALLEL_MIN). The two threads meet on one
 * shared control word with Atomics.wait / Atomics.notify (the main thread of Node may block in
 * Atomics.wait), so the call stays synchronous and the result is an ordinary Tensor.
 *
 * The worker starts on the first call (or with `startMatmulWorker()`); until it is ready, products
 * run on one thread. It is unref'd: it never keeps a process alive.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { fmtShape, ShapeError, TensorError } from './errors.js';
import { matmulStrided } from './kernels/matmul.js';
import { matmul } from './matmul.js';
import { type JobBuffers, Slot, State } from './parallel-protocol.js';
import { Tensor } from './tensor.js';

/**
 * Fewest multiply-adds (m k n) for which the second thread pays; measured on a 2-core machine:
 * 64^3 runs about as fast on one thread, 128^3 and 256^3 gain 1.5-1.8x (bench/matmul-parallel.ts).
 */
export const PARALLEL_MIN = 128 ** 3;
/** How long the main thread waits for the worker before it gives up (a worker that died never answers). */
const WAIT_MS = 60_000;

type Pool = {
  worker: Worker;
  control: Int32Array;
  port: MessagePort;
  buffers: JobBuffers;
  failed: Error | undefined;
};

/** Atomics.waitAsync (Node >= 16; not in the ES2022 typings). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

let pool: Pool | undefined;
let ready: Promise<void> | undefined;
let twoThreadProducts = 0;

/** Whether the worker is up, and how many products ran on two threads so far (for tests and benchmarks). */
export function matmulParallelInfo(): {
  worker: 'none' | 'starting' | 'ready' | 'failed';
  twoThreadProducts: number;
} {
  const worker =
    pool === undefined
      ? 'none'
      : pool.failed !== undefined
        ? 'failed'
        : Atomics.load(pool.control, Slot.State) === State.Starting
          ? 'starting'
          : 'ready';
  return { worker, twoThreadProducts };
}

/**
 * The worker module beside this one. From the TypeScript sources (tests, tsx scripts) the worker
 * first registers tsx's loader, which tsx installs in the main thread only.
 */
function spawnWorker(shared: { workerData: unknown; transferList: MessagePort[] }): Worker {
  // None of this process's flags: the worker needs none, and some (--input-type, --eval) would stop it.
  const options = { ...shared, execArgv: [] };
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./parallel-worker.js', import.meta.url), options);
  const url = new URL('./parallel-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

const emptyBuffers = (): JobBuffers => ({
  a: new Float64Array(0),
  b: new Float64Array(0),
  c: new Float64Array(0),
});

/** Starts the worker thread (once); resolves when it waits for jobs, rejects if it could not start. */
export function startMatmulWorker(): Promise<void> {
  if (ready !== undefined) return ready;
  const control = new Int32Array(new SharedArrayBuffer(Slot.Length * Int32Array.BYTES_PER_ELEMENT));
  const { port1, port2 } = new MessageChannel();
  const worker = spawnWorker({ workerData: { control, port: port2 }, transferList: [port2] });
  const p: Pool = { worker, control, port: port1, buffers: emptyBuffers(), failed: undefined };
  pool = p;
  ready = new Promise<void>((resolve, reject) => {
    const fail = (e: Error) => {
      p.failed = e;
      reject(new TensorError(`matmulParallel: the worker thread failed: ${e.message}`));
    };
    worker.once('error', fail);
    worker.once('exit', (code) => {
      if (p.failed === undefined) fail(new Error(`it exited (code ${code})`));
    });
    // Resolved when the worker leaves State.Starting; the worker stays ref'd until then, so that
    // the process waits for it.
    const started = waitAsync(control, Slot.State, State.Starting);
    void Promise.resolve(started.value).then(() => {
      worker.unref();
      port1.unref();
      resolve();
    });
  });
  ready.catch(() => {}); // a failed start is reported to whoever awaits it; matmulParallel falls back
  return ready;
}

/** Stops the worker (matmulParallel starts a new one when next called). */
export async function stopMatmulWorker(): Promise<void> {
  const p = pool;
  if (p === undefined) return;
  pool = undefined;
  ready = undefined;
  Atomics.store(p.control, Slot.State, State.Stop);
  Atomics.notify(p.control, Slot.State);
  await p.worker.terminate();
}

/** The worker's buffers, grown (and sent to it) when this job needs more room. */
function buffersFor(p: Pool, aLen: number, bLen: number, cLen: number): JobBuffers {
  const { a, b, c } = p.buffers;
  if (a.length >= aLen && b.length >= bLen && c.length >= cLen) return p.buffers;
  const grow = (old: Float64Array, need: number) =>
    old.length >= need
      ? old
      : new Float64Array(
          new SharedArrayBuffer(Math.max(need, 2 * old.length) * Float64Array.BYTES_PER_ELEMENT),
        );
  p.buffers = { a: grow(a, aLen), b: grow(b, bLen), c: grow(c, cLen) };
  p.port.postMessage(p.buffers);
  return p.buffers;
}

/**
 * A B for 2-D A [m, k] and B [k, n] (any strides, like matmul), on two threads when m k n is at
 * least PARALLEL_MIN and the worker is up; otherwise exactly `matmul(a, b)`. Both paths run the
 * same kernel on the same rows, so the result does not depend on which one ran.
 */
export function matmulParallel(a: Tensor, b: Tensor): Tensor {
  if (a.rank !== 2 || b.rank !== 2) {
    throw new ShapeError(
      `matmulParallel: needs two matrices, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)} (use matmul for batches and vectors)`,
    );
  }
  const [m, k] = a.shape as [number, number];
  const n = b.shape[1]!;
  if (b.shape[0] !== k) {
    throw new ShapeError(
      `matmulParallel: inner dims differ: ${fmtShape(a.shape)} @ ${fmtShape(b.shape)} (${k} vs ${b.shape[0]})`,
    );
  }
  if (m * k * n < PARALLEL_MIN || m < 8) return matmul(a, b);
  if (pool === undefined) void startMatmulWorker();
  const p = pool!;
  if (p.failed !== undefined || Atomics.load(p.control, Slot.State) !== State.Idle) return matmul(a, b);

  // Rows [0, mine) here, [mine, m) in the worker; a multiple of 4 (the kernel's register tile).
  const mine = Math.ceil(m / 8) * 4;
  const theirs = m - mine;
  const buf = buffersFor(p, theirs * k, k * n, theirs * n);
  buf.a.set(a.slice([[mine, m]]).values());
  buf.b.set(b.values());
  p.control[Slot.M] = theirs;
  p.control[Slot.K] = k;
  p.control[Slot.N] = n;
  Atomics.store(p.control, Slot.State, State.Run);
  Atomics.notify(p.control, Slot.State);

  const out = new Float64Array(m * n);
  const [aRow, aCol] = a.strides as [number, number];
  const [bRow, bCol] = b.strides as [number, number];
  matmulStrided(a.data, a.offset, aRow, aCol, b.data, b.offset, bRow, bCol, out, 0, mine, k, n);

  let state = Atomics.load(p.control, Slot.State);
  while (state === State.Run) {
    if (Atomics.wait(p.control, Slot.State, State.Run, WAIT_MS) === 'timed-out') {
      p.failed = new Error(`no answer within ${WAIT_MS} ms`);
      throw new TensorError(`matmulParallel: the worker thread gave no answer within ${WAIT_MS} ms`);
    }
    state = Atomics.load(p.control, Slot.State);
  }
  const message = state === State.Failed ? receiveMessageOnPort(p.port)?.message : undefined;
  if (state === State.Done) out.set(buf.c.subarray(0, theirs * n), mine * n);
  Atomics.store(p.control, Slot.State, State.Idle);
  Atomics.notify(p.control, Slot.State);
  if (state !== State.Done)
    throw new TensorError(`matmulParallel: the worker thread failed: ${String(message)}`);
  twoThreadProducts++;
  return Tensor.view(out, [m, n]);
}
