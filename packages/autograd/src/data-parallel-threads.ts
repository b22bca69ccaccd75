/**
 * The main thread's side of dataParallel's workers (data-parallel.ts): starting one, posting it a
 * shard, waiting for it, and reading its results or its error. The states and the layout of a
 * job are in data-parallel-protocol.ts; the worker's side is data-parallel-worker.ts.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import * as T from '@resode/tensor';
import { type Job, type Layout, layoutOf, type ShardError, Slot, State } from './data-parallel-protocol.js';
import { AutogradError } from './errors.js';
import { mode } from './mode.js';

export type WorkerSlot = {
  worker: Worker;
  control: Int32Array;
  port: MessagePort;
  job: (Job & { layout: Layout }) | undefined;
  failed: Error | undefined;
};

const isTypeScript = (url: string) => /\.[cm]?ts$/.test(url);

/**
 * The worker module beside this one. When this module runs from its TypeScript sources (tests,
 * tsx scripts), or the user's module is TypeScript, the worker first registers tsx's loader,
 * which tsx installs in the main thread only; from the sources it also resolves @resode/* to
 * their sources, as this thread does.
 */
function spawnWorker(moduleUrl: string, workerData: object, transferList: MessagePort[]): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const workerUrl = new URL(`./data-parallel-worker.${fromSources ? 'ts' : 'js'}`, import.meta.url);
  const execArgv = fromSources ? ['--conditions=resode-source'] : [];
  if (!fromSources && !isTypeScript(moduleUrl)) {
    return new Worker(workerUrl, { workerData, transferList, execArgv });
  }
  // tsx is looked up from the user's module first, then from this package; its ESM entry point
  // comes from its package.json (a require() of tsx would give the CommonJS one).
  const boot = `(async () => {
    const { createRequire } = await import('node:module');
    const { pathToFileURL } = await import('node:url');
    const find = (from) => {
      try {
        const require = createRequire(from);
        const entry = require('tsx/package.json').exports['./esm/api'].import.default;
        return new URL(entry, pathToFileURL(require.resolve('tsx/package.json'))).href;
      } catch {
        return undefined;
      }
    };
    const api = find(${JSON.stringify(moduleUrl)}) ?? find(${JSON.stringify(import.meta.url)});
    if (api === undefined) throw new Error('a TypeScript module needs tsx in the worker (npm install tsx), or give the compiled .js');
    (await import(api)).register();
    await import(${JSON.stringify(workerUrl.href)});
  })();`;
  return new Worker(boot, { workerData, transferList, eval: true, execArgv });
}

/** Starts one worker; resolves once it has imported the module and waits for jobs. */
export function startWorker(
  moduleUrl: string,
  exportName: string,
  reuseStorage: boolean,
): Promise<WorkerSlot> {
  const control = new Int32Array(new SharedArrayBuffer(Slot.Length * Int32Array.BYTES_PER_ELEMENT));
  const { port1, port2 } = new MessageChannel();
  const worker = spawnWorker(moduleUrl, { control, port: port2, moduleUrl, exportName, reuseStorage }, [
    port2,
  ]);
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
    ).waitAsync(control, Slot.State, State.Starting);
    void Promise.resolve(started.value).then(() => {
      if (Atomics.load(control, Slot.State) !== State.Idle) return;
      worker.unref();
      port1.unref();
      resolve(slot);
    });
  });
}

const sameShapes = (a: readonly (readonly number[])[], b: readonly (readonly number[])[]) =>
  a.length === b.length && a.every((s, i) => T.sameShape(s, b[i]!));

/** A finished shard's value, and its gradients as views of the worker's buffer (read before it is set idle). */
export function outputsOf(job: Job & { layout: Layout }): { value: number; grads: Float64Array[] } {
  const { sizes, valueAt, gradAt } = job.layout;
  return {
    value: job.io[valueAt]!,
    grads: gradAt.map((at, i) => job.io.subarray(at, at + sizes[i]!)),
  };
}

/**
 * Writes a shard's arguments into the worker's buffer (a new buffer, posted to the worker, when
 * their shapes changed) and sets it running.
 */
export function post(w: WorkerSlot, args: T.Tensor[]): void {
  const shapes = args.map((a) => [...a.shape]);
  if (w.job === undefined || !sameShapes(w.job.shapes, shapes)) {
    const layout = layoutOf(shapes);
    const io = new Float64Array(new SharedArrayBuffer(layout.length * Float64Array.BYTES_PER_ELEMENT));
    w.port.postMessage({ shapes, io } satisfies Job);
    w.job = { shapes, io, layout };
  }
  const { io, layout } = w.job;
  args.forEach((a, i) => {
    io.set(a.values(), layout.argAt[i]!);
  });
  Atomics.store(w.control, Slot.Anomaly, mode.detectAnomaly ? 1 : 0);
  Atomics.store(w.control, Slot.State, State.Run);
  Atomics.notify(w.control, Slot.State);
}

/** After the main thread has read a shard's results: the worker may sleep until the next one. */
export function setIdle(w: WorkerSlot): void {
  if (w.failed !== undefined) return; // a lost worker stays as it is (Exited, or still running)
  Atomics.store(w.control, Slot.State, State.Idle);
  Atomics.notify(w.control, Slot.State);
}

/** Ends the worker's loop and its thread. */
export async function stopWorker(w: WorkerSlot): Promise<void> {
  Atomics.store(w.control, Slot.State, State.Stop);
  Atomics.notify(w.control, Slot.State);
  await w.worker.terminate();
}

/** Blocks until the worker has finished its shard (or exited, or timed out); the state it ended in. */
export function waitFor(w: WorkerSlot, timeoutMs: number): number {
  let state = Atomics.load(w.control, Slot.State);
  while (state === State.Run) {
    if (Atomics.wait(w.control, Slot.State, State.Run, timeoutMs) === 'timed-out') {
      w.failed = new Error(`no answer within ${timeoutMs} ms`);
      return State.Failed;
    }
    state = Atomics.load(w.control, Slot.State);
  }
  if (state === State.Exited) w.failed = new Error('the worker thread exited during the step');
  return state;
}

/** Why a worker's shard failed: its error's message, and its stack as the cause. */
export function failureOf(w: WorkerSlot, where: string): { message: string; cause: Error | undefined } {
  if (w.failed !== undefined) return { message: `${where}: ${w.failed.message}`, cause: w.failed };
  const posted = receiveMessageOnPort(w.port)?.message as ShardError | undefined;
  if (posted === undefined) return { message: `${where}: it failed without a message`, cause: undefined };
  const cause = new Error(posted.message);
  if (posted.stack !== undefined) cause.stack = posted.stack;
  return { message: `${where}: ${posted.message}`, cause };
}
