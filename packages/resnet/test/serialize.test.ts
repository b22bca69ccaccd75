import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadModel,
  loadParameters,
  loadParametersFromJSON,
  NeuralODE,
  ParameterFileError,
  parametersToJSON,
  ResNet,
  saveParameters,
} from '@resode/resnet';
import * as T from '@resode/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'resode-params-'));
const x = T.randn([4, 3], T.createRng(0));

describe('parameter files', () => {
  it('round-trip every float64 exactly, including -0, NaN and infinities', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { minLength: 9, maxLength: 9 }), (values) => {
        const a = new ResNet({ depth: 1, width: 3, block: 'sw' });
        a.blocks[0]!.W.value.data.set(values);
        const text = JSON.stringify(parametersToJSON(a));
        const b = new ResNet({ depth: 1, width: 3, block: 'sw', seed: 9 });
        loadParametersFromJSON(b, JSON.parse(text));
        const got = b.blocks[0]!.W.value.values();
        return values.every((v, i) => Object.is(v, got[i]));
      }),
      { numRuns: 200 },
    );
  });

  it('save then loadModel rebuilds a ResNet that computes the same function, bit for bit', () => {
    const a = new ResNet({
      depth: 5,
      width: 3,
      inputDim: 3,
      outputDim: 2,
      block: 'vswb',
      activation: 'gelu',
      init: 'smooth',
      scheme: 'rk4',
      stageWeights: 'stage-times',
      trainAlpha: 'per-layer',
      alpha: 0.3,
      seed: 4,
    });
    a.blocks[2]!.b!.value.data[0] = 0.125;
    const path = join(dir, 'resnet.json');
    saveParameters(a, path);
    const b = loadModel(path);
    expect(b).toBeInstanceOf(ResNet);
    expect((b as ResNet).config).toEqual(a.config);
    expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
  });

  it('save then load a NeuralODE with time-dependent weights', () => {
    const a = new NeuralODE({ width: 3, outputDim: 2, field: { hidden: 5, time: { knots: 3 } }, seed: 1 });
    const path = join(dir, 'node.json');
    saveParameters(a, path);
    const b = loadModel(path) as NeuralODE;
    expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
    const c = new NeuralODE({ width: 3, outputDim: 2, field: { hidden: 5, time: { knots: 3 } }, seed: 2 });
    expect(c.forward(x).toArray()).not.toEqual(a.forward(x).toArray());
    loadParameters(c, path);
    expect(c.forward(x).toArray()).toEqual(a.forward(x).toArray());
  });

  it('rejects a wrong format, version, name or shape, and changes nothing then', () => {
    const model = new ResNet({ depth: 2, width: 3, seed: 0 });
    const good = parametersToJSON(model);
    const before = model.parameters().map((p) => Array.from(p.value.values()));
    const bad = (edit: (f: ReturnType<typeof parametersToJSON>) => unknown) => {
      const f = structuredClone(good);
      return () => loadParametersFromJSON(model, edit(f) ?? f);
    };
    expect(bad(() => ({ hello: 1 }))).toThrow(/not a resode parameter file/);
    expect(
      bad((f) => {
        (f as { version: number }).version = 2;
      }),
    ).toThrow(/version 2 is not supported \(this resode reads version 1\)/);
    expect(
      bad((f) => {
        f.parameters[1]!.shape = [3, 4];
      }),
    ).toThrow(/parameter 'blocks.0.V' has shape \[3, 4\] in the file but \[3, 3\] in the model/);
    expect(
      bad((f) => {
        f.parameters.pop();
      }),
    ).toThrow(/has no parameter 'blocks.1.V'/);
    expect(
      bad((f) => {
        f.parameters[0]!.name = 'blocks.0.Q';
      }),
    ).toThrow(/has a parameter 'blocks.0.Q' that the model does not have/);
    expect(
      bad((f) => {
        f.parameters[3]!.values[2] = 'x' as never;
      }),
    ).toThrow(/blocks.1.V\[2\]: expected a number, got "x"/);
    expect(
      bad((f) => {
        f.parameters[3]!.values.pop();
      }),
    ).toThrow(/has 8 values for shape \[3, 3\] \(9\)/);
    expect(model.parameters().map((p) => Array.from(p.value.values()))).toEqual(before);
    // a file for a wider network: the first shape that differs is named
    const wide = join(dir, 'wide.json');
    saveParameters(new ResNet({ depth: 2, width: 4 }), wide);
    expect(() => loadParameters(model, wide)).toThrow(ParameterFileError);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, readFileSync(wide, 'utf8').slice(0, 40));
    expect(() => loadParameters(model, broken)).toThrow(/broken.json: not valid JSON/);
  });
});
