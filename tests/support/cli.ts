import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const UNFOLD_BIN = join(REPO_ROOT, 'bin', 'unfold.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `unfold` command to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  return runNode([UNFOLD_BIN, ...args], env);
}

/** Runs this Node with `args` to completion, collecting what it printed. */
export function runNode(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  port: number;
  token: string;
  output: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const SERVING_LINE = /Unfold is serving at (http:\/\/\S+)/;

/** Starts `unfold serve` and waits for the line that gives its URL. */
export function startServe(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [UNFOLD_BIN, 'serve', '--no-open', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = SERVING_LINE.exec(output);
      if (!match?.[1]) return;
      const url = new URL(match[1]);
      resolve({
        child,
        url: match[1],
        port: Number(url.port),
        token: url.searchParams.get('token') ?? '',
        output: () => output,
        stop: (signal = 'SIGTERM') => {
          child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    void exited.then((code) =>
      reject(new Error(`unfold serve exited (${code}) before serving:\n${output}`)),
    );
  });
}
