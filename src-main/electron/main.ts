import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { runtimePaths } from '../cli/runtime-paths';
import { chooseDataFolder, prepareDataFolder } from '../domain/data-folder';
import { createUnfoldApp, type UnfoldApp } from '../server/unfold-app';
import { registerIpcRelay } from './ipc-relay';

/** The thin Electron shell: one hardened window over the same app `unfold serve` runs. */
const paths = runtimePaths(import.meta.url);
const rendererIndex = join(paths.rendererDir, 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;
let unfold: UnfoldApp | undefined;

function dataFlag(argv: string[]): string | undefined {
  const index = argv.indexOf('--data');
  return index >= 0 ? argv[index + 1] : argv.find((arg) => arg.startsWith('--data='))?.slice(7);
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Unfold',
    show: false,
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-redirect', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  void window.loadFile(rendererIndex);
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  // Recording happens in main; the page needs no camera, microphone or any other permission.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  const dataDir = await prepareDataFolder(chooseDataFolder(dataFlag(process.argv)).dir);
  unfold = createUnfoldApp({
    dataDir,
    worker: paths.worker,
    version: app.getVersion(),
    electronVersion: process.versions.electron ?? null,
    // Job processes are forked from the Electron binary: make them plain Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  registerIpcRelay(
    ipcMain,
    unfold,
    (url) => url.split('#')[0]?.split('?')[0] === rendererUrl,
    () => BrowserWindow.getAllWindows().map((window) => window.webContents),
  );
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => app.quit());
app.on('before-quit', () => void unfold?.dispose());
void start();
