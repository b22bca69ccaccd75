/**
 * Bundles tfjs-core's gradient registrations into bench/dist/peers/tfjs-gradients.cjs, for the
 * compiled benchmarks that `pnpm bench` runs under plain Node.
 *
 * tfjs-core's entry point registers no gradients (the @tensorflow/tfjs union package does), and its
 * dist/register_all_gradients.js is ES syntax with extensionless imports, which Node's own loader
 * rejects. A loader such as tsx accepts it, but every module-loader hook (tsx included) costs our
 * kernels speed: Node's hook machinery detaches an ArrayBuffer at startup, which switches off a V8
 * optimisation of typed-array access (docs/performance.md, "Plain Node, not tsx"). Bundled to one
 * CommonJS file, the registrations load under plain Node; they fill tfjs's global gradient
 * registry, which the engine of the regular tfjs-core entry point reads.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { benchDir } from './paths.js';

buildSync({
  entryPoints: [
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js'),
  ],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: join(benchDir, 'dist', 'peers', 'tfjs-gradients.cjs'),
  logLevel: 'warning',
});
