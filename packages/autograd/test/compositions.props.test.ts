/**
 * Random compositions of primitives and composites (trees.ts) pass gradcheck: the engine chains
 * the rules correctly (fan-out, broadcasting, views, reductions), to first and second order.
 */
import * as A from '@resode/autograd';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propsConfig } from '../../../test/props-config.js';
import { toTensor } from './arbitraries.js';
import { evaluate, show, treeArb, variablesArb } from './trees.js';

describe('random compositions', () => {
  for (const order of [1, 2] as const) {
    it(`pass gradcheck to order ${order}`, () => {
      fc.assert(
        fc.property(treeArb(), variablesArb, fc.nat(1e6), (tree, xs, seed) => {
          const report = A.gradcheck(evaluate(tree), xs.map(toTensor), { order, seed });
          expect(report.ok, `${show(tree)}: ${JSON.stringify(report.worst)}`).toBe(true);
        }),
        propsConfig(order === 1 ? 60 : 30),
      );
    });
  }
});
