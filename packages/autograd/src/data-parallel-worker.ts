/**
 * A worker thread of dataParallel (data-parallel.ts). It imports the user's module, takes the
 * exported loss function, and then sleeps in Atomics.wait on its control word. Each job is one
 * shard: it reads its arguments from the shared buffer, runs valueAndGrad on them and writes the
 * value and gradients back. It has its own copy of resode (its own tapes and storage pool);
 * nothing is shared with the main thread but the SharedArrayBuffers of the job.
 */
import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import * as T from '@resode/tensor';
import { type Job, layoutOf, type ShardError, Slot, State } from './data-parallel-protocol.js';
import { detectAnomaly } from './mode.js';
import { type Fn, valueAndGrad } from './transforms.js';
import { Var } from './var.js';

const { control, port, moduleUrl, exportName, reuseStorage } = workerData as {
  control: Int32Array;
  port: MessagePort;
  moduleUrl: string;
  exportName: string;
  reuseStorage: boolean;
};

// If the thread ends (the user's module calls process.exit, say), the main thread may be asleep
// waiting for this shard, and its event loop cannot hear the 'exit' event: wake it here.
process.on('exit', () => {
  Atomics.store(control, Slot.State, State.Exited);
  Atomics.notify(control, Slot.State);
});

const f = (await import(moduleUrl))[exportName] as Fn;
if (typeof f !== 'function') {
  throw new Error(`the module ${moduleUrl} has no exported function '${exportName}' (got ${typeof f})`);
}
// f's ops must build Vars of this copy of @resode/autograd, or the tape is not ours.
const checked: Fn = (...xs) => {
  const out = f(...xs);
  if (!(out instanceof Var)) {
    throw new Error(
      `'${exportName}' returned ${out === null ? 'null' : typeof out} that is not a Var of the worker's @resode/autograd ` +
        '(does the module load another copy of @resode/autograd, e.g. dist/ against src/?)',
    );
  }
  return out;
};
const step = valueAndGrad(checked, { reuseStorage });

/** The current job, with its arguments as views of its buffer and where the results go (set when it is posted). */
let job: { io: Float64Array; args: T.Tensor[]; valueAt: number; gradAt: number[] } | undefined;

/** One shard: arguments from the job's buffer, value and gradients back into it. */
function runShard(): void {
  // A new job (the first one, or new shapes) is posted before the Run that needs it.
  for (let msg = receiveMessageOnPort(port); msg !== undefined; msg = receiveMessageOnPort(port)) {
    const { shapes, io } = msg.message as Job;
    const { sizes, argAt, valueAt, gradAt } = layoutOf(shapes);
    const args = shapes.map((shape, i) =>
      T.Tensor.view(io.subarray(argAt[i]!, argAt[i]! + sizes[i]!), shape),
    );
    job = { io, args, valueAt, gradAt };
  }
  const { io, args, valueAt, gradAt } = job!;
  const { value, grads } =
    Atomics.load(control, Slot.Anomaly) === 1 ? detectAnomaly(() => step(...args)) : step(...args);
  io[valueAt] = value.item();
  grads.forEach((g, i) => {
    io.set(g.value.values(), gradAt[i]!);
  });
}

Atomics.store(control, Slot.State, State.Idle);
Atomics.notify(control, Slot.State);

for (;;) {
  Atomics.wait(control, Slot.State, State.Idle);
  const state = Atomics.load(control, Slot.State);
  if (state === State.Stop) break;
  if (state !== State.Run) continue;
  let result: number = State.Done;
  try {
    runShard();
  } catch (e) {
    const error: ShardError =
      e instanceof Error ? { message: e.message, stack: e.stack } : { message: String(e), stack: undefined };
    port.postMessage(error);
    result = State.Failed;
  }
  Atomics.store(control, Slot.State, result);
  Atomics.notify(control, Slot.State);
  // Sleep until the main thread has read the result (it sets Idle, or Stop).
  Atomics.wait(control, Slot.State, result);
}
