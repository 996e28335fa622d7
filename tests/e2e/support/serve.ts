import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const READY_LINE = /Unfold is serving at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface ServeOptions {
  /** Extra environment variables for the server (e.g. UNFOLD_BACKEND). */
  env?: Record<string, string>;
}

export interface RunningServe {
  /** The URL the server printed, with its token. */
  url: string;
  /** The same origin without the token. */
  origin: string;
  token: string;
  dataDir: string;
  /** Everything the server wrote to stdout and stderr so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => resolveExit(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveExit(true);
    });
  });
}

/**
 * Starts the real `unfold serve` on a free port with a fresh data folder, the way a user
 * would, and resolves once it prints its URL.
 */
export async function startServe(options: ServeOptions = {}): Promise<RunningServe> {
  if (!existsSync(join(REPO_ROOT, 'out/main/cli.js'))) {
    throw new Error('Unfold is not built: run `npm run build` before the e2e tests.');
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'unfold-e2e-'));
  const child = spawn(
    process.execPath,
    ['bin/unfold.js', 'serve', '--port', '0', '--no-open', '--data', dataDir],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, UNFOLD_DATA: dataDir, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (output += chunk));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
        child.kill('SIGKILL');
        await waitForExit(child, STOP_TIMEOUT_MS);
      }
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`unfold serve printed no URL in ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        const match = READY_LINE.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolveUrl(match[1]);
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`unfold serve exited early (${signal ?? code})`));
      });
    });
    const parsed = new URL(url);
    return {
      url,
      origin: parsed.origin,
      token: parsed.searchParams.get('token') ?? '',
      dataDir,
      output: () => output,
      stop,
    };
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${reason}\n--- unfold serve output ---\n${output}`, { cause: error });
  }
}
