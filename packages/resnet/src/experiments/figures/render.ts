/**
 * Figures are Vega-Lite specs (plain JSON, see charts.ts), compiled to Vega and rendered to SVG by
 * Vega's own scenegraph renderer, headless in Node: no browser, no canvas.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
