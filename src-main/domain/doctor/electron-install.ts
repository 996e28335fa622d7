import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * What to do when the binary is missing. It must say what scripts/start.js (`npm start`) does:
 * run electron's installer, which needs the internet once, and otherwise stop with one line that
 * points at `npx unfold serve`.
 */
export const ELECTRON_BINARY_MISSING_HINT =
  'The desktop window needs this binary, downloaded once from the internet: `npm start` downloads it (with electron’s own installer) before opening the window, and says so in one line when it cannot (offline). `npx unfold serve` runs the same app in a browser.';

export interface ElectronInstall {
  version: string | null;
  /** The Electron binary, when its download succeeded. */
  binaryPath: string | null;
}

/**
 * Finds the installed electron package and its binary WITHOUT requiring `electron`: in plain
 * Node that require tries to download the binary.
 */
export function findElectronInstall(): ElectronInstall {
  try {
    const require = createRequire(import.meta.url);
    const packageJson = require.resolve('electron/package.json');
    const folder = dirname(packageJson);
    const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
    const pathFile = join(folder, 'path.txt');
    if (!existsSync(pathFile)) return { version, binaryPath: null };
    const binaryPath = join(folder, 'dist', readFileSync(pathFile, 'utf8').trim());
    return { version, binaryPath: existsSync(binaryPath) ? binaryPath : null };
  } catch {
    return { version: null, binaryPath: null };
  }
}
