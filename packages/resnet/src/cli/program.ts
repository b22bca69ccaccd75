/** The `resode` command line: one command per experiment, `merge`, and `demo`. */
import { Command } from 'commander';
import { EXPERIMENTS } from '../experiments/registry.js';
import { demoCommand } from './demo-command.js';
import { experimentCommand, type Io, processIo } from './experiment-command.js';
import { mergeCommand } from './merge-command.js';

export interface ProgramOptions {
  /** Throw a CommanderError instead of exiting the process (tests). */
  exitOverride?: boolean;
}

export function buildProgram(io: Io = processIo, o: ProgramOptions = {}): Command {
  const program = new Command('resode')
    .description(
      'Depth-scaling experiments on ResNets and neural ODEs. Each command runs a sweep, appends its rows to ' +
        '<out>/<experiment>.jsonl as they finish, and draws SVG figures.',
    )
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  if (o.exitOverride) program.exitOverride();
  const subcommands = [
    ...EXPERIMENTS.map((exp) => experimentCommand(exp, io)),
    mergeCommand(io),
    demoCommand(io),
  ];
  for (const sub of subcommands) program.addCommand(sub.copyInheritedSettings(program));
  return program;
}
