import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, runNode, type CliResult } from '../support/cli';

/**
 * `npm start` (scripts/start.js) against a fake electron package: path.txt missing, as after
 * `npm ci` on a fresh machine, and an install.js that fails the way electron's does offline or
 * that puts a binary in place. The launch of electron-vite is replaced by a line on stdout.
 */
const START_SCRIPT = pathToFileURL(join(REPO_ROOT, 'scripts', 'start.js')).href;

const FAILING_INSTALLER = `
console.error('TypeError: fetch failed');
console.error('    at node:internal/deps/undici/undici:14976:13');
console.error('    at async FetchDownloader.download (FetchDownloader.js:46:30)');
process.exit(1);
`;

const WORKING_INSTALLER = `
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
mkdirSync(join(__dirname, 'dist'), { recursive: true });
writeFileSync(join(__dirname, 'dist', 'electron'), '#!/bin/sh\\n');
writeFileSync(join(__dirname, 'path.txt'), 'electron');
console.log('installed');
`;

let folder: string | undefined;

afterEach(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
  folder = undefined;
});

async function fakeElectron(installer: string): Promise<string> {
  folder = await mkdtemp(join(tmpdir(), 'unfold-start-'));
  const electronDir = join(folder, 'electron');
  await mkdir(electronDir);
  await writeFile(
    join(electronDir, 'package.json'),
    JSON.stringify({ name: 'electron', version: '45.4.1' }),
  );
  // CommonJS, like electron's own install.js.
  await writeFile(join(electronDir, 'install.js'), installer);
  await writeFile(join(folder, 'package.json'), JSON.stringify({ type: 'commonjs' }));
  return electronDir;
}

function runStart(electronDir: string): Promise<CliResult> {
  const harness = `
    import { startUnfold } from ${JSON.stringify(START_SCRIPT)};
    process.exitCode = await startUnfold({
      electronDir: ${JSON.stringify(electronDir)},
      launch: async (args) => { console.log('LAUNCHED electron-vite preview', args.length); return 0; },
    });
  `;
  const env = { ...process.env };
  delete env.ELECTRON_EXEC_PATH;
  return runNode(['--input-type=module', '-e', harness], env);
}

describe('npm start (scripts/start.js)', () => {
  it('is what package.json runs for `npm start`', async () => {
    const manifest = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts.start).toBe('node scripts/start.js');
  });

  it('fails in one line that says why and offers `npx unfold serve` when the download fails', async () => {
    const electronDir = await fakeElectron(FAILING_INSTALLER);
    const result = await runStart(electronDir);
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Electron 45.4.1 binary is missing');
    expect(lines[0]).toContain('TypeError: fetch failed');
    expect(lines[0]).toMatch(/npx unfold serve$/);
    expect(result.stdout).not.toContain('LAUNCHED');
  });

  it('fetches the binary with electron’s installer, then runs electron-vite', async () => {
    const electronDir = await fakeElectron(WORKING_INSTALLER);
    const result = await runStart(electronDir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Downloading the Electron 45.4.1 binary');
    expect(result.stdout).toContain('LAUNCHED electron-vite preview');
    expect((await readFile(join(electronDir, 'path.txt'), 'utf8')).trim()).toBe('electron');
  });

  it('goes straight to electron-vite when the binary is already there', async () => {
    const electronDir = await fakeElectron(FAILING_INSTALLER);
    await mkdir(join(electronDir, 'dist'));
    await writeFile(join(electronDir, 'dist', 'electron'), '');
    await writeFile(join(electronDir, 'path.txt'), 'electron');
    const result = await runStart(electronDir);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('Downloading');
    expect(result.stdout).toContain('LAUNCHED electron-vite preview');
  });
});
