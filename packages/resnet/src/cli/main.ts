/** Entry point of `pnpm resode` and `pnpm demo`. */
import { buildProgram } from './program.js';

await buildProgram().parseAsync(process.argv);
