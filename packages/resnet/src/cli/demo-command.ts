/** `resode demo` (and `pnpm demo`): the guided tour; see demo/demo.ts. */
import { Command, Option } from 'commander';
import { defaultWorkers, parseOutDir, parseWorkers } from './common-options.js';
import { runDemo } from './demo/demo.js';
import type { Io } from './experiment-command.js';

export function demoCommand(io: Io): Command {
  return new Command('demo')
    .description(
      'train a neural ODE (adjoint) and a ResNet (SGD) on two spirals, run every experiment small, and write ' +
        '<out>/index.html with the figures and numbers (a few minutes on 2 cores)',
    )
    .addOption(
      new Option('--out <dir>', 'directory of the report and its data')
        .argParser(parseOutDir)
        .default('out/demo'),
    )
    .option('--quick', 'tiny settings that run in seconds (a smoke test; the figures show little)', false)
    .addOption(
      new Option('--workers <n>', 'worker threads for the sweeps')
        .argParser(parseWorkers)
        .default(defaultWorkers(), 'the number of cores'),
    )
    .option('--no-progress', 'no progress bars')
    .action(async (o: { out: string; quick: boolean; workers: number; progress: boolean }) => {
      await runDemo(o, io);
    });
}
