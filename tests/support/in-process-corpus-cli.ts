import { Command } from 'commander';
import { vi } from 'vitest';
import { registerCorpusCommands } from '../../src-main/cli/commands/corpus';

export interface CliOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Runs `unfold corpus ...` in this process (no process start per call: the corpus tests run
 * dozens) against `dataDir`, and returns what it printed and its exit code.
 */
export async function runCorpusCli(dataDir: string, args: string[]): Promise<CliOutput> {
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
    registerCorpusCommands(program);
    await program.parseAsync(['corpus', ...args, '--data', dataDir], { from: 'user' });
  } finally {
    vi.restoreAllMocks();
  }
  return { stdout, stderr, exitCode: Number(process.exitCode ?? 0) };
}
