/**
 * A residual network of depth L and width d:
 *
 *   h_0 = embed(x),   h_{k+1} = h_k + alpha_L f(h_k, theta_k)   (k = 0 .. L-1),   y = readout(h_L)
 *
 * with alpha_L = L^(-beta) (or an explicit alpha), f one of the blocks of blocks/block.ts, and
 * theta_k drawn by one of the initialisations of init/index.ts. Any Runge-Kutta tableau of
 * @resode/ode can replace the Euler step (models/schemes.ts). Batches are row-major: h is
 * [batch, width]. The embedding and read-out are optional linear layers (with inputDim /
 * outputDim).
 */

import type { ResidualControlProblem } from '@resode/adjoint';
import type { Var, VarLike } from '@resode/autograd';
import * as A from '@resode/autograd';
import { type ButcherTableau, TABLEAUX, type TableauName } from '@resode/ode';
import * as T from '@resode/tensor';
import { createRng, fmtShape, ShapeError, type Tensor } from '@resode/tensor';
import { ACTIVATIONS, type ActivationName, activation } from '../activations.js';
import { BLOCKS, Block, type BlockKind } from '../blocks/block.js';
import { ConfigError, checkInteger, checkNumber, checkOneOf } from '../errors.js';
import { drawInDepth, type InitName, type InitSpec, resolveInit } from '../init/index.js';
import { applyLinear, type Linear, linear } from './linear.js';
import { rkLayer } from './schemes.js';

export type SchemeName = TableauName;
export const SCHEMES = Object.keys(TABLEAUX) as SchemeName[];

export type ResNetOptions = {
  depth: number;
  width: number;
  /** alpha_L = depth^(-beta); default 1 (the Euler scheme of an ODE on [0, 1]). */
  beta?: number;
  /** An explicit step alpha (overrides beta). */
  alpha?: number;
  /** Default 'relu'. */
  activation?: ActivationName;
  /** Default 'vsw': V sigma(W h). */
  block?: BlockKind;
  /** m, the hidden width of the branch (or the number of random features); default width. */
  hidden?: number;
  /** Default 'iid' (Gaussian). */
  init?: InitName | InitSpec;
  /** Default 'euler'; any tableau name of @resode/ode. */
  scheme?: SchemeName;
  /**
   * With a multi-stage scheme: 'layer' (default) uses theta_k in every stage of layer k; 'stage-times'
   * keeps one weight set per distinct stage time (k + c_i) / L (shared between neighbouring layers
   * where c = 1 meets c = 0), so that the network is exactly the RK scheme of dx/dt = f(x, theta(t))
   * and converges at the scheme's order when theta(.) is smooth.
   */
  stageWeights?: 'layer' | 'stage-times';
  /** Train alpha too: one shared scalar, or one per layer (Cohen et al. 2021). Default false. */
  trainAlpha?: false | 'shared' | 'per-layer';
  /** Default 0. */
  seed?: number;
  /** Adds a linear embedding R^inputDim -> R^width (weight and bias). */
  inputDim?: number;
  /** Adds a linear read-out R^width -> R^outputDim (weight and bias). */
  outputDim?: number;
};

/** The options with every default filled in: enough to rebuild the same network (saved with its weights). */
export type ResNetConfig = Required<Omit<ResNetOptions, 'alpha' | 'inputDim' | 'outputDim' | 'beta'>> & {
  beta: number | null;
  alpha: number;
  inputDim: number | null;
  outputDim: number | null;
};

export class ResNet {
  readonly config: ResNetConfig;
  readonly depth: number;
  readonly width: number;
  /** The step alpha_L (its initial value when alpha is trained). */
  readonly alpha: number;
  readonly tableau: ButcherTableau;
  /** The weight sets theta, in order of their time in [0, 1]: one per layer unless stageWeights is 'stage-times'. */
  readonly blocks: Block[];
  /** The time s in [0, 1] of each weight set (k / L for layer k). */
  readonly blockTimes: number[];
  /** stagePlan[k][i]: the index in `blocks` used by stage i of layer k. */
  readonly stagePlan: number[][];
  readonly embedding: Linear | undefined;
  readonly readoutLayer: Linear | undefined;
  /** The trained step sizes (trainAlpha), else empty. */
  readonly alphaParams: Var[];

  constructor(options: ResNetOptions) {
    const depth = checkInteger('depth', options.depth, 1);
    const width = checkInteger('width', options.width, 1);
    const blockKind = checkOneOf('block', options.block ?? 'vsw', BLOCKS);
    const act = activation(checkOneOf('activation', options.activation ?? 'relu', ACTIVATIONS));
    const hidden = checkInteger('hidden', options.hidden ?? width, 1);
    if (blockKind === 'sw' && hidden !== width) {
      throw new ConfigError(
        `block 'sw' (sigma(W h)) needs hidden = width, got hidden ${hidden} and width ${width}`,
      );
    }
    const scheme = checkOneOf('scheme', options.scheme ?? 'euler', SCHEMES);
    const stageWeights = checkOneOf('stageWeights', options.stageWeights ?? 'layer', [
      'layer',
      'stage-times',
    ] as const);
    const trainAlpha = options.trainAlpha ?? false;
    if (trainAlpha !== false && trainAlpha !== 'shared' && trainAlpha !== 'per-layer') {
      throw new ConfigError(
        `trainAlpha must be false, 'shared' or 'per-layer', got ${JSON.stringify(trainAlpha)}`,
      );
    }
    const beta = options.alpha === undefined ? checkNumber('beta', options.beta ?? 1) : null;
    const alpha = options.alpha === undefined ? depth ** -beta! : checkNumber('alpha', options.alpha);
    const seed = checkNumber('seed', options.seed ?? 0);
    const inputDim = options.inputDim === undefined ? null : checkInteger('inputDim', options.inputDim, 1);
    const outputDim =
      options.outputDim === undefined ? null : checkInteger('outputDim', options.outputDim, 1);
    const init = resolveInit(options.init ?? 'iid');
    if (init.zeroBranch && blockKind === 'sw' && !act.zeroAtZero) {
      throw new ConfigError(`init 'zero' with block 'sw' needs sigma(0) = 0, but ${act.name}(0) != 0`);
    }

    this.config = {
      depth,
      width,
      beta,
      alpha,
      activation: act.name,
      block: blockKind,
      hidden,
      init: options.init ?? 'iid',
      scheme,
      stageWeights,
      trainAlpha,
      seed,
      inputDim,
      outputDim,
    };
    this.depth = depth;
    this.width = width;
    this.alpha = alpha;
    this.tableau = TABLEAUX[scheme];

    const { times, plan } = parameterTimes(depth, this.tableau, stageWeights);
    this.blockTimes = times;
    this.stagePlan = plan;

    const rng = createRng(seed);
    const streams = {
      embed: rng.fork(),
      W: rng.fork(),
      V: rng.fork(),
      features: rng.fork(),
      readout: rng.fork(),
    };
    this.embedding = inputDim === null ? undefined : linear(width, inputDim, streams.embed);

    const m = hidden;
    const d = width;
    const nT = times.length;
    const zeros = (n: number) => Array.from({ length: nT }, () => new Float64Array(n));
    let Ws: Float64Array[];
    let Vs: Float64Array[] | undefined;
    let features: { U: Var; c: Var } | undefined;
    if (blockKind === 'linear-features') {
      const U = T.mul(T.randn([m, d], streams.features), 1 / Math.sqrt(d));
      features = { U: A.constant(U), c: A.constant(T.randn([m], streams.features)) };
      Ws = [];
      Vs = init.zeroBranch ? zeros(d * m) : drawInDepth(init, times, d * m, 1 / Math.sqrt(m), streams.V);
    } else {
      Ws =
        init.zeroBranch && blockKind === 'sw'
          ? zeros(m * d)
          : drawInDepth(init, times, m * d, 1 / Math.sqrt(d), streams.W);
      if (blockKind !== 'sw') {
        Vs = init.zeroBranch ? zeros(d * m) : drawInDepth(init, times, d * m, 1 / Math.sqrt(m), streams.V);
      }
    }
    this.blocks = times.map((_, j) => {
      const W = features ? features.U : A.variable(T.Tensor.view(Ws[j]!, [m, d]));
      const V = Vs ? A.variable(T.Tensor.view(Vs[j]!, [d, m])) : undefined;
      const b = features ? features.c : blockKind === 'vswb' ? A.variable(T.zeros([m])) : undefined;
      return new Block(blockKind, act, { W, ...(b ? { b } : {}), ...(V ? { V } : {}) });
    });

    this.readoutLayer = outputDim === null ? undefined : linear(outputDim, width, streams.readout);
    this.alphaParams =
      trainAlpha === 'shared'
        ? [A.variable(alpha)]
        : trainAlpha === 'per-layer'
          ? Array.from({ length: depth }, () => A.variable(alpha))
          : [];
  }

  /** The network a saved configuration describes (its initial weights; load the saved ones after). */
  static fromConfig(config: ResNetConfig): ResNet {
    const { beta, alpha, inputDim, outputDim, ...rest } = config;
    return new ResNet({
      ...rest,
      ...(beta === null ? { alpha } : { beta }),
      ...(inputDim === null ? {} : { inputDim }),
      ...(outputDim === null ? {} : { outputDim }),
    });
  }

  /** The step of layer k: a number, or a trained Var. */
  stepSize(k: number): Var | number {
    if (this.alphaParams.length === 0) return this.alpha;
    return this.alphaParams.length === 1 ? this.alphaParams[0]! : this.alphaParams[k]!;
  }

  /** theta_k of layer k (for a multi-stage scheme with 'stage-times', the weights of its first stage). */
  layer(k: number): Block {
    return this.blocks[this.stagePlan[k]![0]!]!;
  }

  /** h_0 = embed(x) (x itself without an embedding). */
  embed(x: VarLike): Var {
    const v = A.toVar(x);
    const inDim = this.embedding ? this.embedding.weight.shape[1]! : this.width;
    if (v.rank !== 2 || v.shape[1] !== inDim) {
      throw new ShapeError(
        `ResNet.forward: expected inputs of shape [batch, ${inDim}], got ${fmtShape(v.shape)}`,
      );
    }
    return this.embedding ? applyLinear(this.embedding, v) : v;
  }

  /** y = readout(h_L) (h_L itself without a read-out). */
  readout(hL: Var): Var {
    return this.readoutLayer ? applyLinear(this.readoutLayer, hL) : hL;
  }

  /** Layer k: h -> h_{k+1}. */
  step(k: number, h: Var): Var {
    const alpha = this.stepSize(k);
    const stages = this.stagePlan[k]!;
    if (this.tableau.b.length === 1) {
      const block = this.blocks[stages[0]!]!;
      return typeof alpha === 'number' ? block.eulerStep(h, alpha) : A.add(h, A.mul(block.f(h), alpha));
    }
    return rkLayer(h, alpha, this.tableau, (i, y) => this.blocks[stages[i]!]!.f(y));
  }

  /** h_0, h_1, ..., h_L (every hidden state, for costates and experiments). */
  forwardStates(x: VarLike): Var[] {
    const states = [this.embed(x)];
    for (let k = 0; k < this.depth; k++) states.push(this.step(k, states[k]!));
    return states;
  }

  /** readout(h_L). */
  forward(x: VarLike): Var {
    let h = this.embed(x);
    for (let k = 0; k < this.depth; k++) h = this.step(k, h);
    return this.readout(h);
  }

  /**
   * The ResNet as the discrete optimal control problem of @resode/adjoint (for msa, pmpSweep):
   * x_{k+1} = x_k + alpha f(x_k, theta_k) with the controls theta_k = this.layer(k).params. The
   * embedding and read-out stay fixed: put the read-out into `terminalLoss` and start from
   * x_0 = model.embed(x). Needs the Euler scheme and a fixed alpha.
   */
  controlProblem(terminalLoss: (hL: Var) => Var): { problem: ResidualControlProblem; controls: Tensor[][] } {
    if (this.tableau.b.length !== 1 || this.alphaParams.length > 0) {
      throw new ConfigError(
        `controlProblem: needs the Euler scheme and a fixed alpha (got scheme '${this.config.scheme}', trainAlpha ${JSON.stringify(this.config.trainAlpha)})`,
      );
    }
    const proto = this.blocks[0]!;
    return {
      problem: { field: (x, theta) => proto.withParams(theta).f(x), alpha: this.alpha, terminalLoss },
      controls: this.blocks.map((b) => b.params.map((p) => p.value)),
    };
  }

  /** Copies controls theta_k (e.g. the result of msa) into the layers' weights, in place. */
  setControls(controls: readonly (readonly Tensor[])[]): void {
    if (controls.length !== this.blocks.length) {
      throw new ShapeError(
        `setControls: expected controls for ${this.blocks.length} weight sets, got ${controls.length}`,
      );
    }
    const targets = this.blocks.map((b) => b.params);
    controls.forEach((theta, j) => {
      if (theta.length !== targets[j]!.length) {
        throw new ShapeError(
          `setControls: weight set ${j} has ${targets[j]!.length} tensors, got ${theta.length}`,
        );
      }
      theta.forEach((t, i) => {
        const v = targets[j]![i]!;
        if (t.rank !== v.rank || t.shape.some((d, a) => d !== v.shape[a])) {
          throw new ShapeError(
            `setControls: theta ${j}.${i} must have shape ${fmtShape(v.shape)}, got ${fmtShape(t.shape)}`,
          );
        }
      });
    });
    controls.forEach((theta, j) => {
      theta.forEach((t, i) => {
        const v = targets[j]![i]!.value;
        v.data.set(t.values(), v.offset);
      });
    });
  }

  /** Every trained Var with a stable name (the keys of saved parameter files). */
  namedParameters(): [string, Var][] {
    const out: [string, Var][] = [];
    if (this.embedding)
      out.push(['embed.weight', this.embedding.weight], ['embed.bias', this.embedding.bias]);
    this.blocks.forEach((blk, j) => {
      for (const name of ['W', 'b', 'V'] as const) {
        const v = blk[name];
        if (v?.requiresGrad) out.push([`blocks.${j}.${name}`, v]);
      }
    });
    this.alphaParams.forEach((a, k) => {
      out.push([this.alphaParams.length === 1 ? 'alpha' : `alpha.${k}`, a]);
    });
    if (this.readoutLayer)
      out.push(['readout.weight', this.readoutLayer.weight], ['readout.bias', this.readoutLayer.bias]);
    return out;
  }

  parameters(): Var[] {
    return this.namedParameters().map(([, v]) => v);
  }

  /**
   * The same network with `params` (in the order of parameters()) in place of its own: a pure
   * function of its weights, e.g. `grad((...ps) => loss(model.withParameters(ps).forward(x)))`.
   */
  withParameters(params: readonly Var[]): ResNet {
    const own = this.namedParameters();
    if (params.length !== own.length) {
      throw new ShapeError(`ResNet.withParameters: expected ${own.length} parameters, got ${params.length}`);
    }
    const swap = new Map<Var, Var>();
    own.forEach(([name, v], i) => {
      const p = A.toVar(params[i]!);
      if (p.rank !== v.rank || p.shape.some((d, j) => d !== v.shape[j])) {
        throw new ShapeError(
          `ResNet.withParameters: ${name} must have shape ${fmtShape(v.shape)}, got ${fmtShape(p.shape)}`,
        );
      }
      swap.set(v, p);
    });
    const use = (v: Var): Var => swap.get(v) ?? v;
    const copy: ResNet = Object.create(ResNet.prototype);
    const lin = (l: Linear | undefined) => (l ? { weight: use(l.weight), bias: use(l.bias) } : undefined);
    Object.assign(copy, this, {
      blocks: this.blocks.map((blk) => blk.withParams(blk.params.map(use))),
      embedding: lin(this.embedding),
      readoutLayer: lin(this.readoutLayer),
      alphaParams: this.alphaParams.map(use),
    });
    return copy;
  }
}

/** The times of the weight sets and which one each stage of each layer uses. */
function parameterTimes(
  depth: number,
  tableau: ButcherTableau,
  stageWeights: 'layer' | 'stage-times',
): { times: number[]; plan: number[][] } {
  if (stageWeights === 'layer' || tableau.b.length === 1) {
    return {
      times: Array.from({ length: depth }, (_, k) => k / depth),
      plan: Array.from({ length: depth }, (_, k) => tableau.c.map(() => k)),
    };
  }
  const all = new Set<number>();
  for (let k = 0; k < depth; k++) for (const c of tableau.c) all.add((k + c) / depth);
  const times = [...all].sort((a, b) => a - b);
  const index = new Map(times.map((t, j) => [t, j]));
  const plan = Array.from({ length: depth }, (_, k) => tableau.c.map((c) => index.get((k + c) / depth)!));
  return { times, plan };
}
