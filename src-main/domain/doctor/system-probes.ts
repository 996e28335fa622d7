import { execFile } from 'node:child_process';
import { statfs } from 'node:fs/promises';
import { promisify } from 'node:util';
import which from 'which';
import type { CaptureDevice } from '../audio/capture-devices';
import { listCaptureDevices } from '../audio/capture-devices';
import { UnfoldError } from '../errors';

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
  /** The devices `unfold audio devices` lists; null when arecord is missing. */
  captureDevices(): Promise<CaptureDevice[] | null>;
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
      try {
        return await listCaptureDevices(env);
      } catch (error) {
        if (error instanceof UnfoldError && error.code === 'RECORDER_NOT_FOUND') return null;
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
