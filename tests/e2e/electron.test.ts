import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { _electron as electron } from 'playwright-core';
import { REPO_ROOT } from './support/serve';

/**
 * Where the Electron binary would be. Read from `node_modules/electron/path.txt`, which its
 * installer writes after downloading: `require('electron')` would try to download it instead.
 */
function electronBinary(): { path: string } | { skip: string } {
  const pathFile = join(REPO_ROOT, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) {
    return { skip: 'the Electron binary was not downloaded (no node_modules/electron/path.txt)' };
  }
  const binary = join(
    REPO_ROOT,
    'node_modules/electron/dist',
    readFileSync(pathFile, 'utf8').trim(),
  );
  if (!existsSync(binary)) return { skip: `the Electron binary ${binary} does not exist` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { skip: 'there is no display (set DISPLAY, e.g. run under xvfb-run)' };
  }
  if (!existsSync(join(REPO_ROOT, 'out/main/index.js'))) {
    return { skip: 'the app is not built (run `npm run build`)' };
  }
  return { path: binary };
}

const binary = electronBinary();
if ('skip' in binary) console.log(`Electron smoke test skipped: ${binary.skip}.`);

describe.skipIf('skip' in binary)('the Electron window', () => {
  it('opens a hardened window with the preload bridge and no Node in the page', async () => {
    if ('skip' in binary) return;
    const dataDir = await mkdtemp(join(tmpdir(), 'unfold-electron-'));
    const app = await electron.launch({
      executablePath: binary.path,
      // Chromium refuses to start as root with its OS sandbox (CI containers run as root); the
      // window's own hardening (contextIsolation, sandboxed renderer, no Node) is what we test.
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        join(REPO_ROOT, 'out/main/index.js'),
      ],
      cwd: REPO_ROOT,
      env: { ...process.env, UNFOLD_DATA: dataDir },
    });
    try {
      const window = await app.firstWindow();
      await window.getByTestId('status-transport').filter({ hasText: 'Electron' }).waitFor();
      expect(await window.title()).toBe('Unfold');
      const globals = await window.evaluate(() => {
        const scope = globalThis as Record<string, unknown>;
        return {
          bridge: typeof scope.unfold,
          require: typeof scope.require,
          process: typeof scope.process,
        };
      });
      expect(globals).toEqual({ bridge: 'object', require: 'undefined', process: 'undefined' });
    } finally {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
