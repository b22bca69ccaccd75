import { fmtShape, type Tensor } from '@resode/tensor';
import { applyCustom } from './engine.js';
import { AutogradError } from './errors.js';
import { noGrad } from './mode.js';
import { toVar } from './ops.js';
import { Var, type VarLike } from './var.js';

export type CustomVjpOptions = {
  /**
   * A promise that lets the engine reuse this op's storage as it does a built-in primitive's:
   * `forward` returns storage it made itself (or a view of an input) and keeps no reference to,
   * and `vjp` keeps no reference to its cotangent. Then dead cotangents passing through the op
   * are recycled, and `valueAndGrad(f, { reuseStorage: true })` reuses its values. Default false:
   * a customVjp's forward and VJP are user code, which may cache what it returns or receives.
   */
  recyclable?: boolean;
};

/**
 * A user-defined primitive: `forward` computes the value with no tape recorded (it may use any
 * ops, or none), and `vjp(ct, out, ...inputs)` returns one cotangent per input (null for none).
 * The adjoint method uses this: its forward is an ODE solve, its VJP a backward solve.
 */
export function customVjp(
  forward: (...xs: Var[]) => Var | Tensor,
  vjp: (ct: Var, out: Var, ...xs: Var[]) => (Var | Tensor | null)[],
  name = 'customVjp',
  options: CustomVjpOptions = {},
): (...xs: VarLike[]) => Var {
  return (...xsIn) => {
    const xs = xsIn.map(toVar);
    for (const x of xs) x.assertLive(name);
    const result = noGrad(() => forward(...xs.map((x) => new Var(x.value))));
    const value = result instanceof Var ? result.value : result;
    return applyCustom(
      name,
      value,
      xs,
      (ct, inputs, out) => {
        const cts = vjp(ct, out, ...inputs);
        if (cts.length !== inputs.length) {
          throw new AutogradError(
            `${name}: vjp returned ${cts.length} cotangents for ${inputs.length} inputs`,
          );
        }
        return cts.map((c, i) => {
          if (c === null) return null;
          const v = toVar(c);
          const shape = inputs[i]!.shape;
          if (v.rank !== shape.length || v.shape.some((d, j) => d !== shape[j])) {
            throw new AutogradError(
              `${name}: vjp returned a cotangent of shape ${fmtShape(v.shape)} for input ${i} of shape ${fmtShape(shape)}`,
            );
          }
          return v;
        });
      },
      options.recyclable === true,
    );
  };
}
