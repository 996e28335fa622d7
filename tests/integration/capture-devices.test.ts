/**
 * One list of capture devices, the same in `unfold audio devices`, `unfold doctor`, the API
 * (which the device pickers show) and `unfold record`'s advice: once with the fake ALSA
 * microphone, once with an ALSA configuration that has no device at all.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import which from 'which';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_CAPTURE_DEVICE } from '../../src-main/api/audio';
import type { DoctorReport } from '../../src-main/api/app';
import type { ResponseEnvelope } from '../../src-main/api/envelope';
import { createUnfoldApp } from '../../src-main/server/unfold-app';
import { runCli } from '../support/cli';
import { installFakeMicrophone } from '../support/fake-microphone';

const root = join(import.meta.dirname, '..', '..');
const worker = { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] };
const tools = ['arecord', 'sox', 'espeak-ng'].every((tool) => which.sync(tool, { nothrow: true }));

async function apiDevices(env: NodeJS.ProcessEnv, dataDir: string): Promise<string[]> {
  const app = createUnfoldApp({ dataDir, worker, version: '0.0.0-test', env });
  try {
    const envelope: ResponseEnvelope = await app.dispatch('audio:devices', undefined);
    if (!envelope.ok) throw new Error(envelope.error.message);
    return (envelope.result as { id: string }[]).map((device) => device.id);
  } finally {
    await app.dispose();
  }
}

describe.runIf(tools)('the capture device list', () => {
  let folder: string;
  let withMicrophone: NodeJS.ProcessEnv;
  let withoutDevice: NodeJS.ProcessEnv;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'unfold-devices-'));
    const micHome = join(folder, 'mic');
    mkdirSync(micHome);
    installFakeMicrophone(micHome, 'one');
    // ALSA reads only this (empty) file: no device at all, whatever this machine has.
    const emptyConfig = join(folder, 'empty-alsa.conf');
    writeFileSync(emptyConfig, '');
    const base: NodeJS.ProcessEnv = { ...process.env, UNFOLD_DATA: join(folder, 'data') };
    delete base.ALSA_CONFIG_PATH;
    withMicrophone = { ...base, XDG_CONFIG_HOME: micHome };
    withoutDevice = {
      ...base,
      XDG_CONFIG_HOME: join(folder, 'none'),
      ALSA_CONFIG_PATH: emptyConfig,
    };
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('is the same in `audio devices`, `doctor` and the API, without the silent "null" device', async () => {
    const text = await runCli(['audio', 'devices'], withMicrophone);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^fakemic\n {4}Unfold test microphone/m);
    expect(text.stdout).not.toMatch(/^null$/m);
    const listed = (
      JSON.parse((await runCli(['audio', 'devices', '--json'], withMicrophone)).stdout) as {
        id: string;
      }[]
    ).map((device) => device.id);
    expect(listed).toContain('fakemic');
    expect(listed).not.toContain('null');

    const doctor = await runCli(['doctor', '--json'], withMicrophone);
    const report = JSON.parse(doctor.stdout) as DoctorReport;
    expect(report.captureDevices).toEqual(listed);
    expect(report.checks.find((check) => check.id === 'capture')).toMatchObject({
      status: 'ok',
      detail: listed.join(', '),
    });
    expect(await apiDevices(withMicrophone, join(folder, 'data'))).toEqual(listed);
  });

  it('says "no capture device found" and what to do, everywhere, when there is none', async () => {
    const text = await runCli(['audio', 'devices'], withoutDevice);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toBe(
      `error [NO_CAPTURE_DEVICE]: ${NO_CAPTURE_DEVICE.message} ${NO_CAPTURE_DEVICE.hint}\n`,
    );
    const json = await runCli(['audio', 'devices', '--json'], withoutDevice);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'NO_CAPTURE_DEVICE' } });

    const report = JSON.parse(
      (await runCli(['doctor', '--json'], withoutDevice)).stdout,
    ) as DoctorReport;
    expect(report.checks.find((check) => check.id === 'capture')).toMatchObject({
      status: 'warning',
      detail: NO_CAPTURE_DEVICE.message,
      hint: NO_CAPTURE_DEVICE.hint,
    });
    expect(report.captureDevices).toEqual([]);
    expect(await apiDevices(withoutDevice, join(folder, 'data'))).toEqual([]);

    // `record` sends the user to the list, which now answers.
    const record = await runCli(
      ['record', '--out', join(folder, 'never.wav'), '--seconds', '1'],
      withoutDevice,
    );
    expect(record.code).toBe(1);
    expect(record.stderr).toMatch(
      /error \[RECORDER_FAILED\]: arecord could not record from the default device .*`unfold audio devices`/,
    );
  });
});
