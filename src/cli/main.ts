#!/usr/bin/env node
/**
 * `shendu <command>`: one file per command under src/cli/, each thin — parse the
 * arguments, call the library.
 */
import { Command } from 'commander';
import { packageVersion } from './version.js';
import { doctorCommand } from './doctor.js';
import { runsCommand } from './runs.js';
import { modelsCommand } from './models.js';
import { serveCommand } from './serve.js';
import { uiCommand } from './ui.js';

const program = new Command();
program
  .name('shendu')
  .description('Shendu: deep learning for TypeScript on Node.js')
  .version(packageVersion(), '-v, --version', 'print the version');

program.addCommand(doctorCommand());
program.addCommand(runsCommand());
program.addCommand(modelsCommand());
program.addCommand(serveCommand());
program.addCommand(uiCommand());

await program.parseAsync(process.argv);
