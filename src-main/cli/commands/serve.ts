import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import open from 'open';
import { chooseDataFolder, prepareDataFolder } from '../../domain/data-folder';
import { UnfoldError } from '../../domain/errors';
import { startHttpServer } from '../../server/http-server';
import {
  isLoopbackHost,
  isWildcardHost,
  localMachineNames,
  newSessionToken,
  reachableAddresses,
} from '../../server/serve-security';
import { createUnfoldApp } from '../../server/unfold-app';
import { reportCliError } from '../cli-errors';
import type { RuntimePaths } from '../runtime-paths';

interface ServeOptions {
  host: string;
  port: string;
  data?: string;
  open: boolean;
}

export function registerServeCommand(program: Command, paths: RuntimePaths, version: string): void {
  program
    .command('serve')
    .description(
      'Serve the Unfold app to a browser on this machine (loopback only, with a per-run token)',
    )
    .addOption(new Option('--host <host>', 'address to listen on').default('127.0.0.1'))
    .addOption(new Option('--port <n>', 'port; 0 picks a free one').default('0'))
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .option('--no-open', 'do not open a browser')
    .action(async (options: ServeOptions) => {
      try {
        const port = Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          throw new UnfoldError(
            'BAD_PORT',
            `--port ${options.port} is not a port number (0-65535).`,
          );
        }
        if (!existsSync(join(paths.rendererDir, 'index.html'))) {
          throw new UnfoldError(
            'NOT_BUILT',
            `The app is not built (${paths.rendererDir} is missing): run \`npm run build\`.`,
          );
        }
        if (!isLoopbackHost(options.host)) {
          process.stderr.write(
            `warning: listening on ${options.host}: other machines on the network can reach Unfold (the token still guards it).\n`,
          );
        }
        const dataDir = await prepareDataFolder(chooseDataFolder(options.data).dir);
        const app = createUnfoldApp({ dataDir, worker: paths.worker, version });
        const server = await startHttpServer({
          app,
          rendererDir: paths.rendererDir,
          host: options.host,
          port,
          token: newSessionToken(),
        });
        process.stdout.write(`Unfold is serving at ${server.url}\n`);
        if (isWildcardHost(options.host)) {
          // 0.0.0.0 is not an address a browser on another machine can use: name the real ones.
          for (const address of reachableAddresses(localMachineNames().addresses)) {
            const url = new URL(server.url);
            url.hostname = address.includes(':') ? `[${address}]` : address;
            process.stdout.write(`  from other machines: ${url.href}\n`);
          }
        }
        process.stdout.write(`Data folder: ${dataDir}. Press Ctrl-C to stop.\n`);
        if (options.open) {
          open(server.url).catch(() =>
            process.stderr.write('Could not open a browser: open the URL above.\n'),
          );
        }
        let stopping = false;
        const stop = (): void => {
          if (stopping) return;
          stopping = true;
          process.stdout.write('Stopping Unfold…\n');
          void Promise.all([server.close(), app.dispose()]).then(() => process.exit(0));
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      } catch (error) {
        reportCliError(error, false);
      }
    });
}
