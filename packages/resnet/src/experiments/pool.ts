/**
 * Runs the points of a sweep on a pool of worker threads (tinypool). Each task is independent and
 * seeded from its own config, so the rows do not depend on which thread ran them or when.
 */
import Tinypool from 'tinypool';
import type { Row } from './types.js';
import type { Task } from './worker.js';

/** From TypeScript sources (tests, `pnpm resode`), workers load worker.ts through tsx; from dist, worker.js. */
function workerEntry(): { filename: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  return fromSource
    ? {
        filename: new URL('./worker-tsx.mjs', import.meta.url).href,
        execArgv: ['--conditions=resode-source'],
      }
    : { filename: new URL('./worker.js', import.meta.url).href, execArgv: [] };
}

/** Runs tasks on `threads` threads, calling onResult as each finishes (in completion order). */
export async function runOnPool(
  tasks: readonly Task[],
  threads: number,
  onResult: (index: number, rows: Row[]) => void,
): Promise<void> {
  const pool = new Tinypool({
    ...workerEntry(),
    minThreads: threads,
    maxThreads: threads,
    isolateWorkers: false,
  });
  try {
    await Promise.all(
      tasks.map(async (task, i) => {
        const rows = (await pool.run(task)) as Row[];
        onResult(i, rows);
      }),
    );
  } finally {
    await pool.destroy();
  }
}
