import { fmtShape, type Tensor } from '@resode/tensor';
import { applyCustom } from './engine.js';
import { AutogradError } from './errors.js';
import { noGrad } from './mode.js';
import { toVar } from './ops.js';
import { Var, type VarLike } from './var.js';

/**
 * A user-defined primitive: `forward` computes the value with no tape recorded (it may use any
 * ops, or none), and `vjp(ct, out, ...inputs)` returns one cotangent per input (null for none).
 * The adjoint method uses this: its forward is an ODE solve, its VJP a backward solve.
 */
export function customVjp(
  forward: (...xs: Var[]) => Var | Tensor,
  vjp: (ct: Var, out: Var, ...xs: Var[]) => (Var | Tensor | null)[],
  name = 'customVjp',
): (...xs: VarLike[]) => Var {
  return (...xsIn) => {
    const xs = xsIn.map(toVar);
    for (const x of xs) x.assertLive(name);
    const result = noGrad(() => forward(...xs.map((x) => new Var(x.value))));
    const value = result instanceof Var ? result.value : result;
    return applyCustom(name, value, xs, (ct, inputs, out) => {
      const cts = vjp(ct, out, ...inputs);
      if (cts.length !== inputs.length) {
        throw new AutogradError(`${name}: vjp returned ${cts.length} cotangents for ${inputs.length} inputs`);
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
    });
  };
}
