/**
 * `shendu ui [--port 6006] [--host 127.0.0.1] [--token T] [--home dir]`: serves the
 * dashboard over the tracking store until Ctrl+C. The token may also come from
 * $SHENDU_UI_TOKEN; binding anything but a loopback address requires one.
 */
import fs from 'node:fs';
import { Command } from 'commander';
import { ValueError } from '../errors.js';
import { resolveHome } from '../track/env.js';
import { cliAction } from './runs.js';

interface UiCliOptions {
  port: string;
  host: string;
  token?: string;
  home?: string;
}

function portNumber(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ValueError(`ui: --port must be an integer from 0 to 65535, got '${text}'`);
  return port;
}

async function serve(options: UiCliOptions): Promise<void> {
  // loaded here, so that other commands do not load the HTTP server
  const { startUi } = await import('../ui/server.js');
  const home = resolveHome(options.home);
  const port = portNumber(options.port);
  const token = options.token ?? (process.env.SHENDU_UI_TOKEN || undefined);
  let ui;
  try {
    ui = await startUi({ home, host: options.host, port, token });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ValueError(`ui: port ${port} on ${options.host} is in use; choose another with --port`);
    if (code === 'EADDRNOTAVAIL') throw new ValueError(`ui: cannot bind ${options.host}: no such address on this machine`);
    throw err;
  }
  const empty = !fs.existsSync(ui.data.file);
  console.log(`Shendu dashboard: ${ui.url}`);
  console.log(`  store: ${home}${empty ? ' (empty: runs appear here as they are tracked)' : ''}, read-only`);
  console.log('  press Ctrl+C to stop');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await ui.close();
}

export function uiCommand(): Command {
  return new Command('ui')
    .description('serve the training dashboard: runs, charts, histograms, models (read-only)')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', '6006')
    .option('--host <address>', 'address to bind; other than loopback needs --token', '127.0.0.1')
    .option('--token <token>', 'require this token on every request (default $SHENDU_UI_TOKEN)')
    .option('--home <dir>', 'the tracking store folder (default $SHENDU_HOME or ./.shendu)')
    .action(cliAction(serve));
}
