import { describe, expect, it } from 'vitest';
import { UnfoldError } from '../errors';
import type { BackendInfo } from '../backend/tf-backend';
import { formatBytes, runDoctor, type DoctorInputs } from './doctor';
import type { CaptureDevice } from '../audio/capture-devices';
import { NO_CAPTURE_DEVICE } from '../audio/capture-devices';
import type { SystemProbes } from './system-probes';

const wasm: BackendInfo = {
  name: 'wasm',
  reason: 'tensorflow: not installed',
  forced: false,
  simd: true,
  attempts: [],
};

function machine(
  programs: string[],
  overrides: Partial<DoctorInputs> = {},
  devices: CaptureDevice[] | null = [
    { id: 'default', name: 'Default Audio Device', description: 'Default Audio Device' },
  ],
): DoctorInputs {
  const probes: SystemProbes = {
    findProgram: (name) => Promise.resolve(programs.includes(name) ? `/usr/bin/${name}` : null),
    programVersion: (path) => Promise.resolve(`${path} 1.0`),
    captureDevices: () => Promise.resolve(devices),
    freeBytes: () => Promise.resolve(50 * 1024 ** 3),
  };
  return {
    nodeVersion: 'v20.20.2',
    runningElectronVersion: null,
    electron: { version: '45.4.1', binaryPath: null },
    dataDir: '/data',
    dataDirWritable: true,
    backend: () => Promise.resolve(wasm),
    rnnKernel: () => ({
      implementation: 'native',
      reason: 'addon loaded (2 kernel threads: measured 2026-12-06)',
    }),
    probes,
    ...overrides,
  };
}

describe('doctor', () => {
  it('passes a complete machine and reports every program with its version', async () => {
    const report = await runDoctor(
      machine(['sox', 'arecord', 'espeak-ng', 'flite', 'festival', 'chromium']),
    );
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.id === 'sox')).toMatchObject({
      status: 'ok',
      detail: '/usr/bin/sox — /usr/bin/sox 1.0',
    });
    expect(report.backend).toEqual({
      name: 'wasm',
      reason: 'tensorflow: not installed',
      forced: false,
      simd: true,
      rnnKernel: {
        implementation: 'native',
        reason: 'addon loaded (2 kernel threads: measured 2026-12-06)',
      },
    });
    expect(report.checks.find((c) => c.id === 'backend')?.detail).toContain('SIMD on');
    expect(report.captureDevices).toEqual(['default']);
    expect(report.dataDirFreeBytes).toBe(50 * 1024 ** 3);
  });

  it('warns, with the package to install, about each missing program but lets the app run', async () => {
    const report = await runDoctor(machine([], {}, null));
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.id === 'espeak-ng')).toMatchObject({
      status: 'warning',
      hint: 'sudo apt-get install espeak-ng',
    });
    expect(report.checks.find((c) => c.id === 'capture')).toMatchObject({
      status: 'warning',
      hint: 'sudo apt-get install alsa-utils',
    });
  });

  it('says when no capture device exists, with what to do', async () => {
    const report = await runDoctor(machine(['arecord'], {}, []));
    expect(report.checks.find((c) => c.id === 'capture')).toMatchObject({
      status: 'warning',
      detail: NO_CAPTURE_DEVICE.message,
      hint: NO_CAPTURE_DEVICE.hint,
    });
    expect(report.captureDevices).toEqual([]);
  });

  it('fails on an old Node, an unwritable data folder or no backend', async () => {
    expect((await runDoctor(machine([], { nodeVersion: 'v18.19.0' }))).ok).toBe(false);
    expect((await runDoctor(machine([], { nodeVersion: 'v20.18.3' }))).ok).toBe(false);
    expect((await runDoctor(machine([], { nodeVersion: 'v22.1.0' }))).ok).toBe(true);
    expect((await runDoctor(machine([], { dataDirWritable: false }))).ok).toBe(false);
    const noBackend = await runDoctor(
      machine([], {
        backend: () =>
          Promise.reject(
            new UnfoldError('BACKEND_UNAVAILABLE', 'No TensorFlow.js backend could start'),
          ),
      }),
    );
    expect(noBackend.ok).toBe(false);
    expect(noBackend.backend).toBeNull();
  });

  it('tells whether the Electron window can start', async () => {
    const missingBinary = await runDoctor(machine([]));
    expect(missingBinary.checks.find((c) => c.id === 'electron')?.status).toBe('warning');
    const withBinary = await runDoctor(
      machine([], { electron: { version: '45.4.1', binaryPath: '/x/electron' } }),
    );
    expect(withBinary.checks.find((c) => c.id === 'electron')?.status).toBe('ok');
  });

  it('says what `npm start` does about a missing Electron binary, and offers `unfold serve`', async () => {
    const check = (await runDoctor(machine([]))).checks.find((c) => c.id === 'electron');
    expect(check?.detail).toContain('binary was not downloaded');
    // scripts/start.js runs electron's installer, which needs the internet, and otherwise
    // stops with one line pointing at the browser version.
    expect(check?.hint).toContain('downloaded once from the internet');
    expect(check?.hint).toContain('`npm start` downloads it');
    expect(check?.hint).toContain('when it cannot (offline)');
    expect(check?.hint).toContain('`npx unfold serve`');
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });

  it('says which kernel runs the recurrent layers, and why the native one did not load', async () => {
    const programs = ['sox', 'arecord', 'espeak-ng', 'flite', 'festival', 'chromium'];
    const kernelOf = async (rnnKernel: DoctorInputs['rnnKernel']) => {
      const report = await runDoctor(machine(programs, { rnnKernel }));
      return { ok: report.ok, check: report.checks.find((c) => c.id === 'rnn-kernel') };
    };
    expect(await kernelOf(machine([]).rnnKernel)).toEqual({
      ok: true,
      check: {
        id: 'rnn-kernel',
        label: 'Recurrent-layer kernel',
        status: 'ok',
        detail: 'native — addon loaded (2 kernel threads: measured 2026-12-06)',
      },
    });
    const missing = await kernelOf(() => ({
      implementation: 'tfjs',
      reason: 'native kernel not built (no rnn_native.node)',
    }));
    expect(missing.ok).toBe(true);
    expect(missing.check).toMatchObject({
      status: 'warning',
      detail: 'TF.js kernels — native kernel not built (no rnn_native.node)',
    });
    expect(missing.check?.hint).toContain('libopenblas-dev');
    // Asked for by the user: nothing to fix.
    expect(
      (await kernelOf(() => ({ implementation: 'tfjs', reason: 'UNFOLD_RNN_KERNEL=tfjs' }))).check,
    ).toEqual({
      id: 'rnn-kernel',
      label: 'Recurrent-layer kernel',
      status: 'ok',
      detail: 'TF.js kernels — UNFOLD_RNN_KERNEL=tfjs',
    });
    const bad = await kernelOf(() => ({
      implementation: null,
      reason: 'UNFOLD_RNN_KERNEL=gpu is not a kernel.',
    }));
    expect(bad.ok).toBe(false);
    expect(bad.check).toMatchObject({
      status: 'error',
      detail: 'UNFOLD_RNN_KERNEL=gpu is not a kernel.',
    });
  });
});
