import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/cli/demo/demo.js';

describe('resode demo', () => {
  it('--quick writes the report with every section, inline figures, numbers and the JSONL', async () => {
    const out = mkdtempSync(join(tmpdir(), 'resode-demo-'));
    let printed = '';
    const { report } = await runDemo(
      { out, quick: true, workers: 1, progress: false },
      { out: (t) => (printed += t), err: () => {} },
    );
    expect(report).toBe(join(out, 'index.html'));
    const html = readFileSync(report, 'utf8');
    for (const id of [
      'neural-ode',
      'resnet',
      'scaling-init',
      'resnet-to-ode',
      'weights-vs-depth',
      'msa-vs-sgd',
      'mesh-independence',
    ]) {
      expect(html).toContain(`<section id="${id}">`);
    }
    expect(html.split('<svg').length - 1).toBeGreaterThanOrEqual(12);
    expect(html).toMatch(/test accuracy \d+\.\d%/);
    expect(html).toContain('continuous adjoint');
    for (const f of [
      'training.jsonl',
      'scaling-init.jsonl',
      'resnet-to-ode.jsonl',
      'demo-neural-ode-regions.svg',
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(printed).toMatch(/\[7\/7\] mesh-independence/);
    expect(printed).toMatch(/Report: .*index\.html/);
  }, 60_000);
});
