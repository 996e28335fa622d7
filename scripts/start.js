#!/usr/bin/env node
// `npm start`: build and open the Unfold window (`electron-vite preview`).
//
// electron 45 has no postinstall: it fetches its binary lazily, on the first
// `require('electron')`. electron-vite reads node_modules/electron/path.txt before anything
// requires electron and stops with "Electron uninstall" when it is missing, so on a fresh clone
// this script runs electron's own installer first. Where that cannot work (no network) it says
// so in one line and points at `npx unfold serve`, which runs the same app in a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/**
 * The Electron binary that node_modules/electron/path.txt names, or null when electron has not
 * fetched it yet.
 * @param {string} electronDir the electron package folder
 * @returns {string | null}
 */
export function electronBinary(electronDir) {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/**
 * The first line of what a failed installer printed: electron's install.js prints the error's
 * stack, whose first line is the error itself ("TypeError: fetch failed").
 * @param {string} output
 * @returns {string}
 */
function firstLine(output) {
  return (
    output
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? 'the installer printed nothing'
  );
}

/**
 * Makes sure the Electron binary is there, running electron's own installer (install.js in the
 * package, the same one `require('electron')` would run) when it is not.
 * @param {string} electronDir
 * @param {(line: string) => void} say where the one status line goes
 * @returns {{ ok: true } | { ok: false, reason: string }}
 */
export function ensureElectronBinary(electronDir, say) {
  if (electronBinary(electronDir)) return { ok: true };
  const version = readPackageVersion(electronDir);
  say(`Downloading the Electron ${version} binary (once, about 100 MB)…`);
  const installer = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (installer.error) return { ok: false, reason: installer.error.message };
  if (installer.status !== 0)
    return { ok: false, reason: firstLine(`${installer.stderr}\n${installer.stdout}`) };
  if (!electronBinary(electronDir))
    return { ok: false, reason: 'the installer finished but no binary is in place' };
  return { ok: true };
}

/**
 * @param {string} electronDir
 * @returns {string}
 */
function readPackageVersion(electronDir) {
  try {
    return JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  } catch {
    return '(unknown version)';
  }
}

/**
 * The one line `npm start` prints when the window cannot start.
 * @param {string} electronDir
 * @param {string} reason
 * @returns {string}
 */
export function missingElectronLine(electronDir, reason) {
  return (
    `npm start: the Electron ${readPackageVersion(electronDir)} binary is missing and ` +
    `downloading it failed (${reason}); the window needs the internet once. ` +
    'Run `npm start` again when online, or use the same app in a browser: npx unfold serve'
  );
}

/**
 * @typedef {object} StartOptions
 * @property {string} electronDir the electron package folder
 * @property {(args: string[]) => Promise<number>} launch runs `electron-vite preview`
 * @property {string[]} [args] extra arguments for electron-vite
 * @property {(line: string) => void} [say] status lines (stdout)
 * @property {(line: string) => void} [fail] the failure line (stderr)
 */

/**
 * @param {StartOptions} options
 * @returns {Promise<number>} the exit code
 */
export async function startUnfold(options) {
  const say = options.say ?? ((line) => process.stdout.write(`${line}\n`));
  const fail = options.fail ?? ((line) => process.stderr.write(`${line}\n`));
  // electron-vite takes an explicit binary from ELECTRON_EXEC_PATH and then never reads path.txt.
  if (!process.env.ELECTRON_EXEC_PATH) {
    const outcome = ensureElectronBinary(options.electronDir, say);
    if (!outcome.ok) {
      fail(missingElectronLine(options.electronDir, outcome.reason));
      return 1;
    }
  }
  return options.launch(options.args ?? []);
}

/**
 * Runs `electron-vite preview` in this process's terminal and resolves with its exit code.
 * @param {string[]} args
 * @returns {Promise<number>}
 */
function launchElectronVite(args) {
  const cli = join(
    dirname(require.resolve('electron-vite/package.json')),
    'bin',
    'electron-vite.js',
  );
  const child = spawn(process.execPath, [cli, 'preview', ...args], { stdio: 'inherit' });
  const forward = (/** @type {NodeJS.Signals} */ signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`npm start: could not run electron-vite: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await startUnfold({
    electronDir: dirname(require.resolve('electron/package.json')),
    launch: launchElectronVite,
    args: process.argv.slice(2),
  });
}
