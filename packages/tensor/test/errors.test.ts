import * as T from '@resode/tensor';
import { describe, expect, test } from 'vitest';
import { thrown } from './helpers.js';

/** Expects `f` to throw exactly `cls` (not just a superclass) with every fragment in its message. */
function expectError(f: () => unknown, cls: typeof T.TensorError, ...fragments: string[]) {
  const e = thrown(f);
  expect(e).toBeInstanceOf(cls);
  expect(e).toBeInstanceOf(T.TensorError);
  expect(e.constructor).toBe(cls);
  expect(e.name).toBe(cls.name);
  for (const frag of fragments) expect(e.message).toContain(frag);
}

const m23 = T.zeros([2, 3]);

describe('invalid calls throw the right error class, naming the shapes or values', () => {
  test('mismatched broadcast', () => {
    expectError(() => T.add(T.zeros([2, 3]), T.zeros([4])), T.ShapeError, 'add', '[2, 3]', '[4]');
    expectError(() => T.mul(T.zeros([2, 1, 3]), T.zeros([5, 2])), T.ShapeError, 'mul', '[2, 1, 3]', '[5, 2]');
    expectError(() => T.where(T.zeros([2]), T.zeros([3]), 0), T.ShapeError, 'where', '[2]', '[3]');
    expectError(() => m23.broadcastTo([3, 3]), T.ShapeError, 'broadcastTo', '[2, 3]', '[3, 3]');
    expectError(() => m23.broadcastTo([3]), T.ShapeError, '[2, 3]', '[3]');
    expectError(() => T.allclose(m23, T.zeros([3, 2])), T.ShapeError, '[2, 3]', '[3, 2]');
  });

  test('matmul inner dims and batch dims', () => {
    expectError(() => T.matmul(m23, T.zeros([2, 3])), T.ShapeError, 'matmul', '[2, 3]', '3 vs 2');
    expectError(() => T.matmul(T.zeros([4]), T.zeros([5])), T.ShapeError, '[4]', '[5]');
    expectError(
      () => T.matmul(T.zeros([2, 2, 3]), T.zeros([3, 3, 1])),
      T.ShapeError,
      '[2, 2, 3]',
      '[3, 3, 1]',
    );
    expectError(() => T.matmul(T.tensor(1), m23), T.ShapeError, 'rank', '[]');
  });

  test('ragged nested arrays and bad values', () => {
    expectError(
      () => T.tensor([[1, 2], [3]]),
      T.ShapeError,
      'ragged',
      '[1]',
      'expected length 2',
      'length 1',
    );
    expectError(() => T.tensor([1, [2]] as unknown as T.NestedArray), T.ShapeError, 'ragged', '[1]');
    expectError(() => T.tensor([[1], 2] as unknown as T.NestedArray), T.ShapeError, 'ragged', '[1]');
    expectError(() => T.tensor([1, 'a'] as unknown as T.NestedArray), T.TensorError, 'number', 'string');
    expectError(() => T.tensor([1, 2, 3], [2, 2]), T.ShapeError, '3 values', '[2, 2]');
  });

  test('non-integer or negative dims', () => {
    expectError(() => T.zeros([2, -1]), T.ShapeError, 'zeros', '[2, -1]');
    expectError(() => T.ones([1.5]), T.ShapeError, '[1.5]');
    expectError(() => T.full([Number.NaN], 0), T.ShapeError, 'NaN');
    expectError(() => T.eye(-2), T.ShapeError, 'eye', '-2');
    expectError(() => T.linspace(0, 1, 2.5), T.ShapeError, 'linspace', '2.5');
    expectError(() => T.randn([3, -1], T.createRng(0)), T.ShapeError, 'randn', '[3, -1]');
    expectError(() => T.tensor([1, 2], [-2]), T.ShapeError, '[-2]');
    expectError(() => m23.reshape([3, 2.5]), T.ShapeError, 'reshape', '[3, 2.5]');
    expectError(() => m23.reshape([-2, -3]), T.ShapeError, 'reshape', '[-2, -3]');
    expectError(() => T.scatterAdd(T.zeros([1]), [0], 0, [-1]), T.ShapeError, '[-1]');
  });

  test('reshape to a wrong size', () => {
    expectError(() => m23.reshape([4]), T.ShapeError, 'reshape', '[2, 3]', 'size 6', '[4]');
    expectError(() => m23.reshape([-1, 4]), T.ShapeError, '[-1, 4]');
    expectError(() => m23.reshape([-1, -1]), T.ShapeError, 'one -1');
  });

  test('item() of a non-scalar', () => {
    expectError(() => m23.item(), T.ShapeError, 'item', '[2, 3]');
    expectError(() => T.zeros([0]).item(), T.ShapeError, '[0]');
    expect(T.ones([1, 1]).item()).toBe(1);
  });

  test('out-of-range axes', () => {
    expectError(() => T.sum(m23, 2), T.IndexError, 'sum', 'axis 2', 'rank 2');
    expectError(() => T.mean(m23, -3), T.IndexError, 'mean', '-3');
    expectError(() => T.max(m23, [0, -2]), T.IndexError, 'repeated');
    expectError(() => T.argmax(m23, 5), T.IndexError, 'argmax', '5');
    expectError(() => m23.transpose(0, 2), T.IndexError, 'transpose', '2');
    expectError(() => T.zeros([4]).transpose(0, 1), T.IndexError, 'transpose');
    expectError(() => m23.permute([0]), T.IndexError, 'permute', '[0]');
    expectError(() => m23.permute([1, 1]), T.IndexError, 'permute', '[1, 1]');
    expectError(() => m23.permute([0, 2]), T.IndexError, 'permute', '2');
    expectError(() => T.concat([m23, m23], 2), T.IndexError, 'concat', '2');
    expectError(() => T.stack([m23], 4), T.IndexError, 'stack', '4');
    expectError(() => T.gather(m23, [0], -3), T.IndexError, 'gather', '-3');
    expectError(() => T.expandDims(m23, 3), T.IndexError, 'expandDims', '3');
    expectError(() => T.squeeze(m23, 2), T.IndexError, 'squeeze', '2');
    expectError(() => T.sum(m23, 0.5), T.IndexError, '0.5');
  });

  test('out-of-range indices', () => {
    expectError(() => m23.get(2, 0), T.IndexError, 'get', 'index 2', 'axis 0', 'size 2');
    expectError(() => m23.get(0, -4), T.IndexError, '-4', 'axis 1', 'size 3');
    expectError(() => m23.get(0), T.IndexError, '1 indices', '[2, 3]');
    expectError(() => m23.get(0, 1.5), T.IndexError, '1.5');
    expectError(() => m23.index(2), T.IndexError, 'index', '2', 'size 2');
    expectError(() => T.tensor(1).index(0), T.IndexError, 'scalar');
    expectError(() => T.gather(m23, [0, 3], 1), T.IndexError, 'gather', 'index 3', 'size 3');
    expectError(() => T.gather(m23, [-1], 0), T.IndexError, '-1');
    expectError(
      () => T.scatterAdd(T.zeros([2]), [0, 4], 0, [3]),
      T.IndexError,
      'scatterAdd',
      'index 4',
      'size 3',
    );
    expectError(() => m23.slice([null, null, null]), T.IndexError, 'slice', '3 ranges', 'rank 2');
    expectError(() => m23.slice([[0, 2, 0]]), T.IndexError, 'step', '0');
    expectError(() => m23.slice([[0, 2, -1]]), T.IndexError, 'step', '-1');
    expectError(() => m23.slice([[0.5, 2]]), T.IndexError, '0.5');
  });

  test('other shape mismatches', () => {
    expectError(() => T.concat([m23, T.zeros([3, 3])], 1), T.ShapeError, 'concat', '[2, 3]', '[3, 3]');
    expectError(() => T.concat([]), T.ShapeError, 'concat');
    expectError(() => T.stack([m23, T.zeros([3, 2])]), T.ShapeError, 'stack', '[2, 3]', '[3, 2]');
    expectError(() => T.squeeze(m23, 0), T.ShapeError, 'squeeze', 'size 2', '[2, 3]');
    expectError(
      () => T.scatterAdd(T.zeros([2, 2]), [0], 0, [3, 2]),
      T.ShapeError,
      'scatterAdd',
      '[2, 2]',
      '[1, 2]',
    );
    expectError(() => T.max(T.zeros([2, 0]), 1), T.ShapeError, 'max', 'empty', '[2, 0]');
  });

  test('invalid values for constructors and the RNG', () => {
    expectError(() => T.arange(0, 1, 0), T.TensorError, 'arange', 'step', '0');
    expectError(() => T.createRng(Number.NaN), T.TensorError, 'seed', 'NaN');
    expectError(() => T.randint([2], 3, 3, T.createRng(0)), T.TensorError, 'randint', '[3, 3)');
    expectError(() => T.randint([0], 1.5, 3, T.createRng(0)), T.TensorError, 'randint', '1.5');
  });
});
