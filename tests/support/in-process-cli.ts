import { Command } from 'commander';
import { vi } from 'vitest';
import { registerCorpusCommands } from '../../src-main/cli/commands/corpus';

export interface CliOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Runs `unfold ...` in this process with the commands `register` adds (no process start per
 * call: the CLI tests run dozens), and returns what it printed and its exit code.
 */
export async function runInProcessCli(
  register: (program: Command) => void,
  args: string[],
): Promise<CliOutput> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = 0;
  try {
    const program = new Command().exitOverride();
    register(program);
    await program.parseAsync(args, { from: 'user' });
  } finally {
    vi.restoreAllMocks();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout, stderr, exitCode };
}

/** Runs `unfold corpus ...` in this process against `dataDir`. */
export function runCorpusCli(dataDir: string, args: string[]): Promise<CliOutput> {
  return runInProcessCli(registerCorpusCommands, ['corpus', ...args, '--data', dataDir]);
}
