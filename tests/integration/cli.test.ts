import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src-main/api/app';
import { runCli } from '../support/cli';
import { expectedBackend } from '../support/expected-backend';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-cli-ü '));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('unfold CLI', () => {
  it('has help for every command', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['serve', 'doctor', 'selftest']) {
      expect(help.stdout).toContain(command);
      const own = await runCli([command, '--help']);
      expect(own.code, command).toBe(0);
      expect(own.stdout).toContain(`Usage: unfold ${command}`);
    }
  });

  it('doctor tells the truth about the machine as JSON', async () => {
    const { code, stdout } = await runCli(['doctor', '--json', '--data', dataDir]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as DoctorReport;
    expect(report.ok).toBe(true);
    expect(report.dataDir).toBe(dataDir);
    expect(report.dataDirFreeBytes).toBeGreaterThan(0);
    const backend = await expectedBackend();
    expect(report.backend?.name).toBe(backend);
    if (backend === 'wasm') {
      expect(report.backend?.simd).toBe(true);
      expect(report.backend?.reason).toMatch(/tfjs-node is not installed/);
    }
    const node = report.checks.find((check) => check.id === 'node');
    expect(node?.detail).toBe(process.version);
    // The native kernel builds wherever the README's packages are (as in CI), with its threads.
    expect(report.checks.find((check) => check.id === 'rnn-kernel')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^native — addon loaded \([12] kernel threads?: /),
    });
  });

  it('doctor names missing programs with the package to install, and still lets the app run', async () => {
    // A PATH with node only: sox, arecord, espeak-ng and the rest are missing.
    const { code, stdout } = await runCli(['doctor', '--json', '--data', dataDir], {
      ...process.env,
      PATH: dirname(process.execPath) === '/usr/bin' ? '/nonexistent' : dirname(process.execPath),
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as DoctorReport;
    const sox = report.checks.find((check) => check.id === 'sox');
    expect(sox).toMatchObject({ status: 'warning', hint: 'sudo apt-get install sox' });
    expect(report.checks.find((check) => check.id === 'arecord')?.hint).toBe(
      'sudo apt-get install alsa-utils',
    );
  });

  it('doctor fails with the reason when no backend can start', async () => {
    const { code, stdout } = await runCli(['doctor', '--data', dataDir], {
      ...process.env,
      UNFOLD_BACKEND: 'quantum',
    });
    expect(code).toBe(1);
    expect(stdout).toContain(
      '[FAIL] TensorFlow.js backend: UNFOLD_BACKEND=quantum is not a backend',
    );
    expect(stdout).toContain('Unfold cannot run');
  });

  it('doctor fails when a forced backend cannot start, instead of falling back', async () => {
    if ((await expectedBackend()) === 'tensorflow') return;
    const { code, stdout } = await runCli(['doctor', '--data', dataDir], {
      ...process.env,
      UNFOLD_BACKEND: 'tensorflow',
    });
    expect(code).toBe(1);
    expect(stdout).toContain('tensorflow: @tensorflow/tfjs-node is not installed');
  });

  it('doctor reports the cpu backend when it is forced', async () => {
    const { stdout } = await runCli(['doctor', '--json', '--data', dataDir], {
      ...process.env,
      UNFOLD_BACKEND: 'cpu',
    });
    expect((JSON.parse(stdout) as DoctorReport).backend).toMatchObject({
      name: 'cpu',
      forced: true,
    });
  });

  it('selftest runs a job to completion and reports steps/s', async () => {
    const { code, stdout, stderr } = await runCli([
      'selftest',
      '--steps',
      '20',
      '--units',
      '8',
      '--json',
      '--data',
      dataDir,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { backend: string; steps: number; stepsPerSecond: number };
    expect(result).toMatchObject({ backend: await expectedBackend(), steps: 20 });
    expect(result.stepsPerSecond).toBeGreaterThan(0);
  });

  it('rejects bad arguments with a clear error and exit code', async () => {
    const steps = await runCli(['selftest', '--steps', 'many', '--data', dataDir]);
    expect(steps.code).toBe(1);
    expect(steps.stderr).toMatch(/^error \[/);
    const port = await runCli(['serve', '--no-open', '--port', '70000', '--data', dataDir]);
    expect(port.code).toBe(1);
    expect(port.stderr).toContain('error [BAD_PORT]');
  });
});
