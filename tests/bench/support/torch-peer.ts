/**
 * The PyTorch peer of the speed benches: Debian's /usr/bin/python3 with python3-torch (a pyenv
 * python3 on the PATH lacks it), given Debian's OpenMP OpenBLAS first on LD_LIBRARY_PATH when
 * installed so that it runs at its best on every thread count, and the BLAS libraries it loaded.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { SideResult } from './side-by-side';

export function runProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stdout, stderr }));
  });
}

/** Debian's multithreaded OpenBLAS (OpenMP build), ahead of the default (possibly single-threaded) one. */
const OPENMP_OPENBLAS = '/usr/lib/x86_64-linux-gnu/openblas-openmp';
export const torchEnv: NodeJS.ProcessEnv = existsSync(OPENMP_OPENBLAS)
  ? {
      ...process.env,
      LD_LIBRARY_PATH: [OPENMP_OPENBLAS, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    }
  : process.env;

/** The BLAS libraries a python process with torch has mapped after one matrix product. */
const TORCH_PROBE = [
  'import torch',
  'torch.ones(4, 4) @ torch.ones(4, 4)',
  'print(torch.__version__)',
  "print('\\n'.join(sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.lower()})))",
].join('\n');

export interface TorchPython {
  python: string;
  version: string;
  blasLibraries: string[];
}

export async function findTorchPython(): Promise<TorchPython | null> {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const out = await runProcess(python, ['-c', TORCH_PROBE], torchEnv).catch(() => null);
    if (out?.code === 0) {
      const [version = '', ...blasLibraries] = out.stdout.trim().split('\n');
      return { python, version, blasLibraries };
    }
  }
  return null;
}

/** What the report says about the peer: where it ran, or why it did not. */
export function torchDescription(
  torch: TorchPython | null,
  skipped: boolean,
  threads: readonly number[],
  script: string,
): Record<string, unknown> {
  return torch
    ? {
        python: torch.python,
        version: torch.version,
        ldLibraryPath: torchEnv.LD_LIBRARY_PATH ?? null,
        blasLibraries: torch.blasLibraries,
        threads,
        script,
      }
    : { available: false, reason: skipped ? '--skip-torch' : 'no python3 with torch' };
}

/**
 * Runs one peer measurement script, which prints one JSON object whose `rateKey` field is the
 * items/s and `batches` the timed batches; a failure is reported with its last stderr line.
 */
export async function runTorchMeasurement(
  torch: TorchPython,
  script: string,
  args: string[],
  rateKey: string,
): Promise<SideResult> {
  const out = await runProcess(torch.python, [script, ...args], torchEnv);
  if (out.code === 0) {
    const parsed = JSON.parse(out.stdout) as Record<string, number>;
    return { perSecond: parsed[rateKey] ?? null, batches: parsed.batches ?? null };
  }
  return {
    perSecond: null,
    batches: null,
    error: out.stderr.trim().split('\n').slice(-1)[0] || `exit ${out.code}`,
  };
}
