import { execFile } from 'node:child_process';
import { statfs } from 'node:fs/promises';
import { promisify } from 'node:util';
import which from 'which';

const run = promisify(execFile);

/** The line of a program's banner that carries its version (some print a copyright first). */
function versionLine(text: string): string | null {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.find((line) => /\d+\.\d+/.test(line)) ?? lines[0] ?? null;
}

/** The machine facts the doctor reads; passed in so that tests can describe another machine. */
export interface SystemProbes {
  findProgram(name: string): Promise<string | null>;
  programVersion(path: string, args: string[]): Promise<string | null>;
  captureDevices(): Promise<string[] | null>;
  freeBytes(dir: string): Promise<number | null>;
}

export function createSystemProbes(env: NodeJS.ProcessEnv = process.env): SystemProbes {
  return {
    async findProgram(name) {
      return (await which(name, { nothrow: true, path: env.PATH })) ?? null;
    },
    async programVersion(path, args) {
      try {
        const { stdout, stderr } = await run(path, args, { timeout: 10_000, env });
        return versionLine(`${stdout}\n${stderr}`);
      } catch (error) {
        // Some programs print their version and exit non-zero.
        const output = error as { stdout?: string; stderr?: string };
        return versionLine(`${output.stdout ?? ''}\n${output.stderr ?? ''}`);
      }
    },
    async captureDevices() {
      const arecord = await which('arecord', { nothrow: true, path: env.PATH });
      if (!arecord) return null;
      try {
        const { stdout } = await run(arecord, ['-L'], { timeout: 10_000, env });
        // `arecord -L` prints each PCM name unindented, followed by indented descriptions.
        return stdout.split('\n').filter((line) => line !== '' && !/^\s/.test(line));
      } catch {
        return [];
      }
    },
    async freeBytes(dir) {
      try {
        const stats = await statfs(dir);
        return stats.bavail * stats.bsize;
      } catch {
        return null;
      }
    },
  };
}
