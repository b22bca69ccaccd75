/**
 * The worker thread of matmulParallel (parallel.ts). It sleeps in Atomics.wait on a shared control
 * word; each job is a block of rows of C = A B whose A rows and B the main thread copied into
 * shared buffers. The worker has its own copy of the matmul kernel module (its own packing
 * buffers: nothing is shared with the main thread but the SharedArrayBuffers of the job).
 */
import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { matmulStrided } from './kernels/matmul.js';
import { type JobBuffers, Slot, State } from './parallel-protocol.js';

const { control, port } = workerData as { control: Int32Array; port: MessagePort };
let buffers: JobBuffers | undefined;

Atomics.store(control, Slot.State, State.Idle);
Atomics.notify(control, Slot.State);

for (;;) {
  Atomics.wait(control, Slot.State, State.Idle);
  const state = Atomics.load(control, Slot.State);
  if (state === State.Stop) break;
  if (state !== State.Run) continue;
  let result: number = State.Done;
  try {
    // New, larger buffers are posted before the job that needs them.
    for (let msg = receiveMessageOnPort(port); msg !== undefined; msg = receiveMessageOnPort(port)) {
      buffers = msg.message as JobBuffers;
    }
    const m = control[Slot.M]!;
    const k = control[Slot.K]!;
    const n = control[Slot.N]!;
    matmulStrided(buffers!.a, 0, k, 1, buffers!.b, 0, n, 1, buffers!.c, 0, m, k, n);
  } catch (e) {
    port.postMessage(e instanceof Error ? e.message : String(e));
    result = State.Failed;
  }
  Atomics.store(control, Slot.State, result);
  Atomics.notify(control, Slot.State);
  // Sleep until the main thread has taken the result (it sets Idle, or Stop).
  Atomics.wait(control, Slot.State, result);
}
