/**
 * The PyTorch peer of the speed benches: Debian's /usr/bin/python3 with python3-torch (a pyenv
 * python3 on the PATH lacks it), given Debian's OpenMP OpenBLAS first on LD_LIBRARY_PATH when
 * installed (torchProcessEnv) so that it runs at its best on every thread count without the user
 * setting anything, and what it says about its BLAS: torch.__config__'s build lines and the
 * libraries it mapped.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { SideResult } from './side-by-side';

/** Debian's multithreaded OpenBLAS (libopenblas0-openmp), PyTorch's BLAS at its best. */
export const OPENMP_OPENBLAS_DIR = '/usr/lib/x86_64-linux-gnu/openblas-openmp';

/**
 * The environment of a PyTorch peer: Debian's OpenMP OpenBLAS first on LD_LIBRARY_PATH when
 * installed, so that python3-torch loads it instead of whichever libblas the alternatives system
 * points at (often the pthread or serial build), without the user setting anything; and no
 * __pycache__ written beside the peer scripts in the checkout.
 */
export function torchProcessEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const quiet = { ...env, PYTHONDONTWRITEBYTECODE: '1' };
  return existsSync(OPENMP_OPENBLAS_DIR)
    ? {
        ...quiet,
        LD_LIBRARY_PATH: [OPENMP_OPENBLAS_DIR, env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      }
    : quiet;
}

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

/** The environment every peer runs in (see torchProcessEnv). */
export const torchEnv: NodeJS.ProcessEnv = torchProcessEnv(process.env);

/**
 * Torch's version, its build's BLAS, LAPACK and OpenMP lines (torch.__config__) and the BLAS
 * libraries a python process with torch has mapped after one matrix product, as JSON.
 */
const TORCH_PROBE = [
  'import json, re, torch',
  'torch.ones(4, 4) @ torch.ones(4, 4)',
  'config = torch.__config__.show()',
  "build = [s for s in re.split(r'[,\\n]\\s*', config) if re.match(r'\\s*(- OpenMP|- LAPACK|BLAS_INFO|LAPACK_INFO|USE_OPENMP|USE_MKLDNN)', s)]",
  "maps = sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.lower()})",
  "print(json.dumps({'version': torch.__version__, 'build': [s.strip(' -') for s in build], 'blasLibraries': maps}))",
].join('\n');

export interface TorchPython {
  python: string;
  version: string;
  /** torch.__config__'s BLAS, LAPACK and OpenMP settings of the build. */
  build: string[];
  /** The BLAS libraries mapped in a probe run with the peers' environment. */
  blasLibraries: string[];
}

export async function findTorchPython(): Promise<TorchPython | null> {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const out = await runProcess(python, ['-c', TORCH_PROBE], torchEnv).catch(() => null);
    if (out?.code === 0)
      return { python, ...(JSON.parse(out.stdout) as Omit<TorchPython, 'python'>) };
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
        build: torch.build,
        blasLibraries: torch.blasLibraries,
        threads,
        script,
      }
    : { available: false, reason: skipped ? '--skip-torch' : 'no python3 with torch' };
}

/**
 * Runs one peer measurement script, which prints one JSON object whose `rateKey` field is the
 * items/s, `batches` the timed batches and `blasLibraries` the BLAS it mapped (torch_peer_run.py);
 * a failure is reported with its last stderr line.
 */
export async function runTorchMeasurement(
  torch: TorchPython,
  script: string,
  args: string[],
  rateKey: string,
): Promise<SideResult> {
  const out = await runProcess(torch.python, [script, ...args], torchEnv);
  if (out.code === 0) {
    const parsed = JSON.parse(out.stdout) as Record<string, unknown>;
    const number = (key: string): number | null =>
      typeof parsed[key] === 'number' ? parsed[key] : null;
    return {
      perSecond: number(rateKey),
      batches: number('batches'),
      ...(Array.isArray(parsed.blasLibraries)
        ? { blasLibraries: parsed.blasLibraries as string[] }
        : {}),
    };
  }
  return {
    perSecond: null,
    batches: null,
    error: out.stderr.trim().split('\n').slice(-1)[0] || `exit ${out.code}`,
  };
}
