/**
 * Where tensor storage comes from, and how storage known to be dead is reused.
 *
 * A fresh Float64Array costs V8 about 1 µs plus 0.1 ns a byte (2.8 µs for the 2048 numbers of a W1
 * activation, about what the add that fills it costs), because typed-array storage above 64 bytes
 * lives outside the JS heap and comes zeroed from the allocator; and the megabytes such arrays add
 * up to per training step trigger full garbage collections. A garbage-collected language cannot
 * know when an array is dead, but autograd can in two cases: the cotangents its backward pass
 * makes itself (it counts their uses, autograd recycling.ts), and, when the caller promises it,
 * the intermediate values of a tape once their backward pass is over. Those arrays go into a
 * `StoragePool`, and the next allocation of the same length takes one from there.
 *
 * Storage is recycled only while a pool is current: inside `withRecycling(fn)` (a pool that lives
 * as long as the outermost such call) or `withStoragePool(pool, fn)` (a pool the caller keeps
 * from call to call). `recycle(a)` promises that nothing refers to `a` any more: it is for
 * autograd, not for user code.
 */

/** Arrays of up to 8 numbers live on the JS heap, where allocation is cheap: not worth pooling. */
const ON_HEAP = 8;

/** Free arrays, by length. */
export class StoragePool {
  private readonly free = new Map<number, Float64Array[]>();

  /**
   * @param perLength at most this many free arrays of one length are kept (the rest are left to
   *   the garbage collector); unbounded by default, for a pool that holds one step's storage.
   */
  constructor(private readonly perLength = Number.POSITIVE_INFINITY) {}

  /** A free array of n numbers (any content), or undefined if the pool has none. */
  take(n: number): Float64Array | undefined {
    return this.free.get(n)?.pop();
  }

  /** Adds `a` to the free arrays; as with `recycle`, nothing may refer to it any more. */
  give(a: Float64Array): void {
    let free = this.free.get(a.length);
    if (free === undefined) this.free.set(a.length, (free = []));
    if (free.length < this.perLength) free.push(a);
  }

  /** How many free arrays the pool holds. */
  get size(): number {
    let n = 0;
    for (const free of this.free.values()) n += free.length;
    return n;
  }
}

/** A backward pass frees a few arrays per layer and reuses them: a short list per length is enough. */
const PASS_PER_LENGTH = 32;

let current: StoragePool | undefined;

function take(n: number): Float64Array | undefined {
  return n > ON_HEAP && current !== undefined ? current.take(n) : undefined;
}

/** Storage for n numbers, all 0. */
export function allocate(n: number): Float64Array {
  const a = take(n);
  return a === undefined ? new Float64Array(n) : a.fill(0);
}

/** Storage for n numbers of any content, for kernels that write every element. */
export function allocateUninitialized(n: number): Float64Array {
  return take(n) ?? new Float64Array(n);
}

/**
 * Gives `a` back for reuse by a later allocation while the current pool is (outside any pool it
 * does nothing). The caller guarantees that nothing refers to `a` (or to a view of it) any more.
 * Only whole arrays are taken: a view into a larger buffer is left alone.
 */
export function recycle(a: Float64Array): void {
  const n = a.length;
  if (current === undefined || n <= ON_HEAP || a.byteOffset !== 0 || a.buffer.byteLength !== n * 8) return;
  current.give(a);
}

/** Runs fn with `pool` as the current pool (allocations take from it, `recycle` gives to it). */
export function withStoragePool<T>(pool: StoragePool, fn: () => T): T {
  const outer = current;
  current = pool;
  try {
    return fn();
  } finally {
    current = outer;
  }
}

/**
 * Runs fn with recycling on: in the current pool if there is one, else in a pool of its own
 * that is dropped when fn returns (storage is then never kept from one call to the next).
 */
export function withRecycling<T>(fn: () => T): T {
  return current !== undefined ? fn() : withStoragePool(new StoragePool(PASS_PER_LENGTH), fn);
}
