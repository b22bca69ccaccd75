import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** bench/, whether the benchmarks run from source (tsx) or compiled to bench/dist (`pnpm bench`). */
export const benchDir: string = basename(here) === 'dist' ? dirname(here) : here;
