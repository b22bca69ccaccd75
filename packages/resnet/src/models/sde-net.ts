/**
 * A neural SDE, the diffusive limit of ResNets (DESIGN.md, "Trained weights as functions of
 * depth"): i.i.d. weights with alpha_L = L^(-1/2) do not give an ODE but an SDE
 *
 *   dh = f(h) dt + g dW,   f(h) = V sigma(W h + b) + c,   h(0) = embed(x),   y = readout(h(t1)),
 *
 * here with diagonal noise of a constant scale g (given, or trained per coordinate), solved by
 * sdeint of @resode/ode and differentiated by backpropagation through its steps (the pathwise
 * gradient). Each forward pass draws a new Brownian path unless a seed is given.
 */

import type { Var, VarLike } from '@resode/autograd';
import * as A from '@resode/autograd';
import { type SdeMethod, sdeint } from '@resode/ode';
import * as T from '@resode/tensor';
import { createRng, fmtShape, type Rng, ShapeError } from '@resode/tensor';
import { ACTIVATIONS, type Activation, type ActivationName, activation } from '../activations.js';
import { fusedBranch } from '../blocks/fused.js';
import { ConfigError, checkInteger, checkNumber, checkOneOf } from '../errors.js';
import { applyLinear, type Linear, linear, linearParams, mapLinear } from './linear.js';

export type SdeNetOptions = {
  width: number;
  /** Default 32. */
  hidden?: number;
  /** Default 'tanh'. */
  activation?: ActivationName;
  /** g: a fixed scale (default 0.1), or 'learned': one trained scale per coordinate, starting at 0.1. */
  diffusion?: number | 'learned';
  /** Step of the solver (default 0.05). */
  dt?: number;
  /** Default 'euler-maruyama'. */
  method?: SdeMethod;
  /** Default 1. */
  t1?: number;
  inputDim?: number;
  outputDim?: number;
  seed?: number;
};

type DriftWeights = { W: Var; b: Var; V: Var; c: Var };

export class SDENet {
  readonly width: number;
  readonly t1: number;
  readonly dt: number;
  readonly method: SdeMethod;
  readonly act: Activation;
  readonly drift: DriftWeights;
  /** The trained diffusion scales [width] ('learned'), else undefined. */
  readonly sigma: Var | undefined;
  readonly fixedSigma: number;
  readonly embedding: Linear | undefined;
  readonly readoutLayer: Linear | undefined;
  private readonly noise: Rng;

  constructor(o: SdeNetOptions) {
    this.width = checkInteger('width', o.width, 1);
    const hidden = checkInteger('hidden', o.hidden ?? 32, 1);
    this.act = activation(checkOneOf('activation', o.activation ?? 'tanh', ACTIVATIONS));
    this.t1 = checkNumber('t1', o.t1 ?? 1, true);
    this.dt = checkNumber('dt', o.dt ?? 0.05, true);
    this.method = checkOneOf('method', o.method ?? 'euler-maruyama', [
      'euler-maruyama',
      'milstein',
      'euler-heun',
    ] as const);
    const diffusion = o.diffusion ?? 0.1;
    if (diffusion !== 'learned' && (typeof diffusion !== 'number' || !(diffusion >= 0))) {
      throw new ConfigError(`diffusion must be a number >= 0 or 'learned', got ${JSON.stringify(diffusion)}`);
    }
    const rng = createRng(checkNumber('seed', o.seed ?? 0));
    const streams = { embed: rng.fork(), drift: rng.fork(), readout: rng.fork(), noise: rng.fork() };
    const d = this.width;
    this.drift = {
      W: A.variable(T.mul(T.randn([hidden, d], streams.drift), 1 / Math.sqrt(d))),
      b: A.variable(T.zeros([hidden])),
      V: A.variable(T.mul(T.randn([d, hidden], streams.drift), 1 / Math.sqrt(hidden))),
      c: A.variable(T.zeros([d])),
    };
    this.sigma = diffusion === 'learned' ? A.variable(T.full([d], 0.1)) : undefined;
    this.fixedSigma = diffusion === 'learned' ? 0.1 : diffusion;
    const inputDim = o.inputDim === undefined ? undefined : checkInteger('inputDim', o.inputDim, 1);
    const outputDim = o.outputDim === undefined ? undefined : checkInteger('outputDim', o.outputDim, 1);
    this.embedding = inputDim === undefined ? undefined : linear(d, inputDim, streams.embed);
    this.readoutLayer = outputDim === undefined ? undefined : linear(outputDim, d, streams.readout);
    this.noise = streams.noise;
  }

  /** f(h) = V sigma(W h + b) + c. */
  driftAt(h: Var): Var {
    const { W, b, V, c } = this.drift;
    return A.add(fusedBranch(h, { W, b, V }, this.act), c);
  }

  /** g(h): the diagonal noise scale, broadcast to h's shape. */
  diffusionAt(h: Var): Var {
    return this.sigma ? A.broadcastTo(this.sigma, h.shape) : A.constant(T.full(h.shape, this.fixedSigma));
  }

  embed(x: VarLike): Var {
    const v = A.toVar(x);
    const inDim = this.embedding ? this.embedding.weight.shape[1]! : this.width;
    if (v.rank !== 2 || v.shape[1] !== inDim) {
      throw new ShapeError(
        `SDENet.forward: expected inputs of shape [batch, ${inDim}], got ${fmtShape(v.shape)}`,
      );
    }
    return this.embedding ? applyLinear(this.embedding, v) : v;
  }

  /** h at the times ts along one Brownian path (a fresh one unless seed is given): [ts.length, batch, width]. */
  trajectory(x: VarLike, ts: readonly number[], seed?: number): Var {
    return sdeint(
      (_t, h) => this.driftAt(h),
      (_t, h) => this.diffusionAt(h),
      this.embed(x),
      ts,
      { dt: this.dt, method: this.method, seed: seed ?? this.noise.nextUint32() },
    );
  }

  /** readout(h(t1)) along one Brownian path. */
  forward(x: VarLike, seed?: number): Var {
    const h1 = A.index(this.trajectory(x, [0, this.t1], seed), 1);
    return this.readoutLayer ? applyLinear(this.readoutLayer, h1) : h1;
  }

  /** The mean output over `samples` Brownian paths (a Monte Carlo estimate of E[y]). */
  forwardMean(x: VarLike, samples: number, seed?: number): Var {
    const n = checkInteger('samples', samples, 1);
    const base = seed ?? this.noise.nextUint32();
    let acc: Var | undefined;
    for (let i = 0; i < n; i++) {
      const y = this.forward(x, base + i);
      acc = acc === undefined ? y : A.add(acc, y);
    }
    return A.div(acc!, n);
  }

  namedParameters(): [string, Var][] {
    const { W, b, V, c } = this.drift;
    return [
      ...linearParams('embed', this.embedding),
      ['drift.W', W],
      ['drift.b', b],
      ['drift.V', V],
      ['drift.c', c],
      ...(this.sigma ? ([['sigma', this.sigma]] as [string, Var][]) : []),
      ...linearParams('readout', this.readoutLayer),
    ];
  }

  parameters(): Var[] {
    return this.namedParameters().map(([, v]) => v);
  }

  /** The same model with `params` (in the order of parameters()) in place of its own. */
  withParameters(params: readonly Var[]): SDENet {
    const own = this.namedParameters();
    if (params.length !== own.length) {
      throw new ShapeError(`SDENet.withParameters: expected ${own.length} parameters, got ${params.length}`);
    }
    const swap = new Map(own.map(([, v], i) => [v, A.toVar(params[i]!)]));
    const use = (v: Var): Var => swap.get(v) ?? v;
    const copy: SDENet = Object.create(SDENet.prototype);
    const { W, b, V, c } = this.drift;
    Object.assign(copy, this, {
      drift: { W: use(W), b: use(b), V: use(V), c: use(c) },
      sigma: this.sigma ? use(this.sigma) : undefined,
      embedding: mapLinear(this.embedding, use),
      readoutLayer: mapLinear(this.readoutLayer, use),
    });
    return copy;
  }
}
