import { spawn } from 'node:child_process';
import which from 'which';
import { UnfoldError } from '../../errors';

/** The Debian package that provides each program the synthesisers run. */
export const PROGRAM_PACKAGES: Readonly<Record<string, string>> = {
  'espeak-ng': 'espeak-ng',
  flite: 'flite',
  festival: 'festival',
  text2wave: 'festival',
  sox: 'sox',
};

export async function requireProgram(name: string): Promise<string> {
  const found = await which(name, { nothrow: true });
  if (!found) {
    const pkg = PROGRAM_PACKAGES[name] ?? name;
    throw new UnfoldError(
      'SYNTH_MISSING_PROGRAM',
      `${name} was not found: install it with \`sudo apt install ${pkg}\` (Debian package "${pkg}").`,
      { program: name, package: pkg },
    );
  }
  return found;
}

export async function hasProgram(name: string): Promise<boolean> {
  return (await which(name, { nothrow: true })) !== null;
}

/** Runs a program to completion; a non-zero exit becomes SYNTH_FAILED with its stderr. */
export function runProgram(
  command: string,
  args: readonly string[],
  options: { signal?: AbortSignal; input?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], signal: options.signal });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => {
      if (error.name === 'AbortError')
        reject(new UnfoldError('CANCELLED', 'The operation was cancelled.'));
      else
        reject(
          new UnfoldError('SYNTH_FAILED', `${command} could not be started: ${error.message}`),
        );
    });
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(
          new UnfoldError(
            'SYNTH_FAILED',
            `${command} ${args.join(' ')} exited with code ${code}: ${stderr.trim().slice(0, 500)}`,
          ),
        );
    });
    child.stdin.end(options.input ?? '');
  });
}
