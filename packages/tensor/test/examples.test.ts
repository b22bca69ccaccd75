/** Runs docs/examples/tensor-*.ts so that the documentation cannot rot. */
import { describe, expect, it } from 'vitest';
import { main as basics } from '../../../docs/examples/tensor-basics.js';

describe('docs/examples/tensor-*', () => {
  it('basics: broadcasting, views, reductions, matmul, RNG, errors', () => {
    const r = basics(() => {});
    expect(r.sum).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect(r.shares).toBe(true);
    expect(r.rowSums).toEqual([[6], [15]]);
    expect(r.gram).toEqual([
      [14, 32],
      [32, 77],
    ]);
    expect(r.dense).toEqual([[8], [8]]); // a = [[1, 2, 3], [4, 5, 6]]: 1 - 3 + 10 and 4 - 6 + 10
    expect(r.x1).toEqual(r.x2);
    expect(r.message).toContain('[2, 3]');
  });
});
