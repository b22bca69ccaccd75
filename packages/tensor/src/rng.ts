import { TensorError } from './errors.js';
import { checkShape, type Shape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * A seeded pseudo-random generator: xoshiro128** (Blackman and Vigna 2018), a 32-bit generator
 * with period 2^128 - 1 that passes BigCrush, seeded through splitmix32 so that nearby seeds give
 * unrelated streams. Doubles take 53 random bits from two outputs; normals use the Box-Muller
 * transform (the second value of each pair is kept for the next call).
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new TensorError(`createRng: seed must be a finite number, got ${seed}`);
    // The seed's integer part as (high, low) 32-bit words, so that distinct integers in the safe
    // range give distinct states (folding the words together with XOR made -1 and 0, or 1 and
    // 2^32, the same seed). Each state word is a splitmix32 output of the low word, XORed with
    // one of the high word when that is non-zero (seeds in [0, 2^32) use the low word alone).
    const s = Math.floor(seed);
    const lo = s >>> 0;
    const hi = Math.floor(s / 2 ** 32) | 0;
    const word = (i: number) =>
      (splitmix32(lo + i * 0x9e3779b9) ^ (hi === 0 ? 0 : splitmix32(hi + i * 0x6a09e667))) >>> 0;
    this.s0 = word(1);
    this.s1 = word(2);
    this.s2 = word(3);
    this.s3 = word(4);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the one state xoshiro must avoid
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * Fills `out` with successive 32-bit draws: the same numbers as calling nextUint32 once per
   * entry, about twice as fast for long arrays, because the four state words stay in local
   * variables for the whole loop instead of being read from and written to the object per draw.
   * The loop body is nextUint32's, written out again for that reason; a test checks that the two
   * give the same stream.
   */
  fillUint32(out: Uint32Array): Uint32Array {
    let { s0, s1, s2, s3 } = this;
    for (let i = 0; i < out.length; i++) {
      out[i] = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
    }
    [this.s0, this.s1, this.s2, this.s3] = [s0, s1, s2, s3];
    return out;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [low, high). */
  int(low: number, high: number): number {
    if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
      throw new TensorError(`randint: needs integers low < high, got [${low}, ${high})`);
    }
    return low + Math.floor(this.uniform() * (high - low));
  }

  /** An independent generator seeded from this one (for splitting work between consumers). */
  fork(): Rng {
    return new Rng(this.nextUint32() * 2 ** 21 + (this.nextUint32() >>> 11));
  }
}

/** The splitmix32 output function of a 32-bit counter value: a bijective integer hash. */
function splitmix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A generator seeded by an integer (a fractional seed is floored). Same seed, same stream. */
export function createRng(seed: number): Rng {
  return new Rng(seed);
}

function fill(shape: Shape, op: string, draw: () => number): Tensor {
  checkShape(shape, op);
  const out = new Float64Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = draw();
  return Tensor.view(out, shape);
}

/** Standard normal samples (mean 0, variance 1). */
export function randn(shape: Shape, rng: Rng): Tensor {
  return fill(shape, 'randn', () => rng.normal());
}

/** Uniform samples in [low, high), by default [0, 1). */
export function rand(shape: Shape, rng: Rng, low = 0, high = 1): Tensor {
  return fill(shape, 'rand', () => low + (high - low) * rng.uniform());
}

/** Uniform integers in [low, high) stored as float64. */
export function randint(shape: Shape, low: number, high: number, rng: Rng): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new TensorError(`randint: needs integers low < high, got [${low}, ${high})`);
  }
  return fill(shape, 'randint', () => rng.int(low, high));
}

/** A shuffled copy of an array (Fisher-Yates); `shuffle(n, rng)` gives a random permutation of 0..n-1. */
export function shuffle(n: number, rng: Rng): number[];
export function shuffle<T>(items: readonly T[], rng: Rng): T[];
export function shuffle<T>(items: readonly T[] | number, rng: Rng): T[] | number[] {
  const out: (T | number)[] =
    typeof items === 'number' ? Array.from({ length: items }, (_, i) => i) : [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out as T[] | number[];
}
