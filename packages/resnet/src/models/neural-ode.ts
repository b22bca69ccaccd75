/**
 * A neural ODE (Chen, Rubanova, Bettencourt, Duvenaud 2018): the continuous-depth limit of the
 * ResNet, h(0) = embed(x), dh/dt = f(t, h, theta), y = readout(h(t1)), solved by @resode/ode and
 * differentiated in one of three ways (@resode/adjoint, odeintGrad):
 *
 *   'backprop'    through the solver's recorded operations (exact gradient of the discrete solve);
 *   'checkpoint'  the same gradient, recomputing the steps between a few stored states;
 *   'adjoint'     the continuous adjoint da/dt = -a^T df/dh solved backwards (O(1) memory in the
 *                 number of steps; the gradient of the exact flow, up to the tolerances).
 *
 * The built-in field is f(t, h) = V sigma(W h + b) + c, with parameters that are
 *   'none'         constant in time (an autonomous field: the limit of a ResNet with tied weights);
 *   'concat'       constant, with t appended to h as an input (torchdiffeq's ConcatLinear);
 *   { knots: K }   functions of time theta(t), linear between K knots spread over [0, t1] (the
 *                  limit of theta_k = theta(k/L)); the knots are passed to the solver as stepTimes.
 * Or bring your own: field: { fn: (t, h, params) => Var, params }.
 */

import {
  createGradStats,
  type GradientStrategy,
  type GradStats,
  odeintGrad,
  type ParamField,
} from '@resode/adjoint';
import type { Var, VarLike } from '@resode/autograd';
import * as A from '@resode/autograd';
import type { MethodName } from '@resode/ode';
import * as T from '@resode/tensor';
import { createRng, fmtShape, ShapeError } from '@resode/tensor';
import { ACTIVATIONS, type Activation, type ActivationName, activation } from '../activations.js';
import { fusedBranch } from '../blocks/fused.js';
import { ConfigError, checkInteger, checkNumber, checkOneOf } from '../errors.js';
import { drawInDepth, type InitName, type InitSpec, resolveInit } from '../init/index.js';
import { applyLinear, type Linear, linear, linearParams, mapLinear } from './linear.js';

export type TimeDependence = 'none' | 'concat' | { knots: number };

/** The built-in field V sigma(W h + b) + c. */
export type FieldSpec = {
  /** Default 32. */
  hidden?: number;
  /** Default 'tanh'. */
  activation?: ActivationName;
  /** Default 'none'. */
  time?: TimeDependence;
  /** Initialisation of the knots in time (default 'iid'); see init/index.ts. */
  init?: InitName | InitSpec;
};

/** A field of your own: fn must use only `params` (no other Vars), so that every gradient strategy works. */
export type CustomField = { fn: ParamField; params: Var[] };

export type SolverOptions = {
  /** Default 'dopri5'. */
  method?: MethodName;
  /** Default 1e-3 (Chen et al.'s setting); the ODE package's own default is 1e-7. */
  rtol?: number;
  /** Default 1e-3. */
  atol?: number;
  /** Fixed step (needed by methods without an error estimate: euler, rk4, ...). */
  stepSize?: number;
  maxSteps?: number;
};

export type NeuralOdeOptions = {
  /** d, the dimension of the state h. */
  width: number;
  field?: FieldSpec | CustomField;
  solver?: SolverOptions;
  /** Default 'backprop'. */
  gradient?: GradientStrategy;
  /** Checkpoints of the 'checkpoint' strategy (default 8). */
  checkpoints?: number;
  /** Final time (default 1). */
  t1?: number;
  inputDim?: number;
  outputDim?: number;
  /** Default 0. */
  seed?: number;
};

/** The weights of the built-in field at one knot (or for all time). */
type FieldWeights = { W: Var; b: Var; V: Var; c: Var };
const FIELD_NAMES = ['W', 'b', 'V', 'c'] as const;

export class NeuralODE {
  readonly width: number;
  readonly t1: number;
  readonly gradient: GradientStrategy;
  readonly solver: Required<Pick<SolverOptions, 'method' | 'rtol' | 'atol'>> &
    Omit<SolverOptions, 'method' | 'rtol' | 'atol'>;
  readonly checkpoints: number;
  /** Built-in field: one weight set, or one per knot. */
  readonly knots: FieldWeights[];
  /** The times of the knots (empty unless time is { knots }). */
  readonly knotTimes: number[];
  readonly time: TimeDependence;
  readonly activation: Activation | undefined;
  readonly custom: CustomField | undefined;
  readonly embedding: Linear | undefined;
  readonly readoutLayer: Linear | undefined;
  /** The options it was built with (undefined with a custom field, which cannot be saved as data). */
  readonly options: NeuralOdeOptions | undefined;
  /** Function evaluations and steps of every solve so far (forward and backward); see resetStats. */
  stats: GradStats = createGradStats();

  constructor(o: NeuralOdeOptions) {
    this.width = checkInteger('width', o.width, 1);
    this.options = o.field !== undefined && 'fn' in o.field ? undefined : structuredClone(o);
    this.t1 = checkNumber('t1', o.t1 ?? 1, true);
    this.gradient = checkOneOf('gradient', o.gradient ?? 'backprop', [
      'backprop',
      'checkpoint',
      'adjoint',
    ] as const);
    this.checkpoints = checkInteger('checkpoints', o.checkpoints ?? 8, 1);
    const s = o.solver ?? {};
    this.solver = {
      ...s,
      method: s.method ?? 'dopri5',
      rtol: checkNumber('solver.rtol', s.rtol ?? 1e-3, true),
      atol: checkNumber('solver.atol', s.atol ?? 1e-3, true),
    };
    const rng = createRng(checkNumber('seed', o.seed ?? 0));
    const streams = { embed: rng.fork(), field: rng.fork(), readout: rng.fork() };
    const inputDim = o.inputDim === undefined ? undefined : checkInteger('inputDim', o.inputDim, 1);
    const outputDim = o.outputDim === undefined ? undefined : checkInteger('outputDim', o.outputDim, 1);
    this.embedding = inputDim === undefined ? undefined : linear(this.width, inputDim, streams.embed);
    this.readoutLayer = outputDim === undefined ? undefined : linear(outputDim, this.width, streams.readout);

    const field = o.field ?? {};
    if ('fn' in field) {
      if (typeof field.fn !== 'function' || !Array.isArray(field.params)) {
        throw new ConfigError('field: a custom field is { fn: (t, h, params) => Var, params: Var[] }');
      }
      this.custom = { fn: field.fn, params: [...field.params] };
      this.knots = [];
      this.knotTimes = [];
      this.time = 'none';
      this.activation = undefined;
    } else {
      this.custom = undefined;
      const hidden = checkInteger('field.hidden', field.hidden ?? 32, 1);
      this.activation = activation(checkOneOf('field.activation', field.activation ?? 'tanh', ACTIVATIONS));
      this.time = field.time ?? 'none';
      let count = 1;
      if (typeof this.time === 'object') count = checkInteger('field.time.knots', this.time.knots, 2);
      else checkOneOf('field.time', this.time, ['none', 'concat'] as const);
      this.knotTimes =
        typeof this.time === 'object'
          ? Array.from({ length: count }, (_, j) => (this.t1 * j) / (count - 1))
          : [];
      const d = this.width;
      const inDim = this.time === 'concat' ? d + 1 : d;
      const init = resolveInit(field.init ?? 'iid');
      const times = count === 1 ? [0] : this.knotTimes.map((t) => t / this.t1);
      const Ws = drawInDepth(init, times, hidden * inDim, 1 / Math.sqrt(inDim), streams.field);
      const Vs = init.zeroBranch
        ? times.map(() => new Float64Array(d * hidden))
        : drawInDepth(init, times, d * hidden, 1 / Math.sqrt(hidden), streams.field);
      this.knots = times.map((_, j) => ({
        W: A.variable(T.Tensor.view(Ws[j]!, [hidden, inDim])),
        b: A.variable(T.zeros([hidden])),
        V: A.variable(T.Tensor.view(Vs[j]!, [d, hidden])),
        c: A.variable(T.zeros([d])),
      }));
    }
  }

  /** The parameters of the field, in the order the solver passes them to `fieldAt`. */
  fieldParams(): Var[] {
    return this.custom ? this.custom.params : this.knots.flatMap((k) => FIELD_NAMES.map((n) => k[n]));
  }

  /** f(t, h) with the given field parameters (a ParamField: pure in params). */
  fieldAt(t: number, h: Var, params: Var[]): Var {
    if (this.custom) return this.custom.fn(t, h, params);
    const w = this.weightsAt(t, params);
    const input =
      this.time === 'concat'
        ? A.concat([h, A.constant(T.full([...h.shape.slice(0, -1), 1], t))], h.rank - 1)
        : h;
    const flat = input.rank === 1 ? A.reshape(input, [1, input.shape[0]!]) : input;
    const f = A.add(fusedBranch(flat, { W: w.W, b: w.b, V: w.V }, this.activation!), w.c);
    return input.rank === 1 ? A.reshape(f, [this.width]) : f;
  }

  /** theta(t): the weights, linearly interpolated between knots. */
  private weightsAt(t: number, params: readonly Var[]): FieldWeights {
    const set = (j: number): FieldWeights => ({
      W: params[4 * j]!,
      b: params[4 * j + 1]!,
      V: params[4 * j + 2]!,
      c: params[4 * j + 3]!,
    });
    const K = this.knots.length;
    if (K === 1) return set(0);
    const s = Math.min(Math.max(t / this.t1, 0), 1) * (K - 1);
    const j = Math.min(Math.floor(s), K - 2);
    const lam = s - j;
    if (lam === 0) return set(j);
    const [a, b] = [set(j), set(j + 1)];
    const mix = (x: Var, y: Var) => A.add(A.mul(x, 1 - lam), A.mul(y, lam));
    return { W: mix(a.W, b.W), b: mix(a.b, b.b), V: mix(a.V, b.V), c: mix(a.c, b.c) };
  }

  /** h(0) = embed(x). */
  embed(x: VarLike): Var {
    const v = A.toVar(x);
    const inDim = this.embedding ? this.embedding.weight.shape[1]! : this.width;
    if (v.rank !== 2 || v.shape[1] !== inDim) {
      throw new ShapeError(
        `NeuralODE.forward: expected inputs of shape [batch, ${inDim}], got ${fmtShape(v.shape)}`,
      );
    }
    return this.embedding ? applyLinear(this.embedding, v) : v;
  }

  readout(h: Var): Var {
    return this.readoutLayer ? applyLinear(this.readoutLayer, h) : h;
  }

  /** The states h(t) at the times ts (starting at 0): shape [ts.length, batch, width]. */
  trajectory(x: VarLike, ts: readonly number[]): Var {
    return this.solve(this.embed(x), ts);
  }

  /** readout(h(t1)). */
  forward(x: VarLike): Var {
    const hs = this.solve(this.embed(x), [0, this.t1]);
    return this.readout(A.index(hs, 1));
  }

  private solve(h0: Var, ts: readonly number[]): Var {
    const { method, rtol, atol, stepSize, maxSteps } = this.solver;
    const field: ParamField = (t, h, ps) => this.fieldAt(t, h, ps);
    return odeintGrad(field, h0, ts, this.fieldParams(), {
      gradient: this.gradient,
      method,
      rtol,
      atol,
      ...(stepSize === undefined ? {} : { stepSize }),
      ...(maxSteps === undefined ? {} : { maxSteps }),
      ...(this.knotTimes.length > 2 ? { stepTimes: this.knotTimes.slice(1, -1) } : {}),
      checkpoints: this.checkpoints,
      stats: this.stats,
    });
  }

  resetStats(): void {
    this.stats = createGradStats();
  }

  namedParameters(): [string, Var][] {
    const field: [string, Var][] = this.custom
      ? this.custom.params.map((p, i) => [`field.params.${i}`, p])
      : this.knots.flatMap((k, j) =>
          FIELD_NAMES.map(
            (n) => [this.knots.length === 1 ? `field.${n}` : `field.${j}.${n}`, k[n]] as [string, Var],
          ),
        );
    return [
      ...linearParams('embed', this.embedding),
      ...field,
      ...linearParams('readout', this.readoutLayer),
    ];
  }

  parameters(): Var[] {
    return this.namedParameters().map(([, v]) => v);
  }

  /** The same model with `params` (in the order of parameters()) in place of its own. */
  withParameters(params: readonly Var[]): NeuralODE {
    const own = this.namedParameters();
    if (params.length !== own.length) {
      throw new ShapeError(
        `NeuralODE.withParameters: expected ${own.length} parameters, got ${params.length}`,
      );
    }
    const swap = new Map<Var, Var>();
    own.forEach(([name, v], i) => {
      const p = A.toVar(params[i]!);
      if (p.rank !== v.rank || p.shape.some((d, j) => d !== v.shape[j])) {
        throw new ShapeError(
          `NeuralODE.withParameters: ${name} must have shape ${fmtShape(v.shape)}, got ${fmtShape(p.shape)}`,
        );
      }
      swap.set(v, p);
    });
    const use = (v: Var): Var => swap.get(v) ?? v;
    const copy: NeuralODE = Object.create(NeuralODE.prototype);
    Object.assign(copy, this, {
      knots: this.knots.map((k) => ({ W: use(k.W), b: use(k.b), V: use(k.V), c: use(k.c) })),
      custom: this.custom ? { fn: this.custom.fn, params: this.custom.params.map(use) } : undefined,
      embedding: mapLinear(this.embedding, use),
      readoutLayer: mapLinear(this.readoutLayer, use),
    });
    return copy;
  }
}
