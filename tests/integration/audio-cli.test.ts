/** The audio commands, run in-process on a fresh commander program. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import which from 'which';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerAudioCommands } from '../../src-main/cli/commands/audio';
import { decodeNpy } from '../../src-main/domain/audio/npy';
import { decodeWav } from '../../src-main/domain/audio/wav';
import { installFakeMicrophone } from '../support/fake-microphone';

const FIXTURES = join(import.meta.dirname, '../fixtures/audio');

async function run(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = 0;
  try {
    const program = new Command().exitOverride();
    registerAudioCommands(program);
    await program.parseAsync(args, { from: 'user' });
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout, stderr, exitCode };
}

describe('unfold audio / features / record', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'unfold-audio-cli-'));
  });
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });
  afterEach(() => {
    process.exitCode = 0;
  });

  it('audio info prints duration, rate, channels, format, peak and RMS', async () => {
    const text = await run(['audio', 'info', join(FIXTURES, 'tone3ch-s24.wav')]);
    expect(text.stdout).toMatch(/duration\s+0\.050 s \(1103 samples per channel\)/);
    expect(text.stdout).toMatch(/format\s+24-bit PCM \(extensible\)/);
    const json = JSON.parse(
      (await run(['audio', 'info', join(FIXTURES, 'tone1k-16k.wav'), '--json'])).stdout,
    );
    expect(json).toMatchObject({ sampleRate: 16_000, channels: 1, durationSeconds: 0.5 });
    expect(json.peakDbfs).toBeCloseTo(-6.02, 1);
  });

  it('audio info reports a broken file as error [CODE] with a non-zero exit', async () => {
    const broken = join(folder, 'broken.wav');
    writeFileSync(broken, readFileSync(join(FIXTURES, 'tone1ch-s16.wav')).subarray(0, 600));
    const result = await run(['audio', 'info', broken]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /^error \[AUDIO_TRUNCATED\]: .*broken\.wav: the file is truncated/,
    );
  });

  it('features writes a [frames, 39] float32 .npy and serves the second run from the cache', async () => {
    const input = join(folder, 'tone.wav');
    copyFileSync(join(FIXTURES, 'tone1k-16k.wav'), input);
    const out = join(folder, 'tone.npy');
    const data = join(folder, 'data');
    const first = await run([
      'features',
      input,
      '--kind',
      'mfcc',
      '--out',
      out,
      '--data',
      data,
      '--json',
    ]);
    expect(JSON.parse(first.stdout)).toMatchObject({ frames: 48, dims: 39, cached: false, out });
    const matrix = decodeNpy(readFileSync(out), out);
    expect([matrix.frames, matrix.dims]).toEqual([48, 39]);
    const second = await run([
      'features',
      input,
      '--kind',
      'mfcc',
      '--out',
      out,
      '--data',
      data,
      '--json',
    ]);
    expect(JSON.parse(second.stdout)).toMatchObject({ cached: true });
    expect(decodeNpy(readFileSync(out), out)).toEqual(matrix);
  });

  it('features --json without --out prints the rows; fbank has 40 dims, spectrogram 257', async () => {
    const file = join(FIXTURES, 'tone3ch-f32.wav');
    const fbank = JSON.parse(
      (await run(['features', file, '--kind', 'fbank', '--no-cache', '--json'])).stdout,
    );
    expect(fbank.dims).toBe(40);
    expect(fbank.features).toHaveLength(fbank.frames);
    expect(fbank.features[0]).toHaveLength(40);
    const spectrogram = JSON.parse(
      (await run(['features', file, '--kind', 'spectrogram', '--no-cache', '--json'])).stdout,
    );
    expect(spectrogram.dims).toBe(257);
    const bad = await run(['features', join(folder, 'missing.wav'), '--no-cache']);
    expect(bad.stderr).toMatch(/^error \[AUDIO_NOT_FOUND\]: .*missing\.wav: no such file/);
  });

  const tools = ['arecord', 'sox', 'espeak-ng'].every((tool) =>
    which.sync(tool, { nothrow: true }),
  );
  it.runIf(tools)(
    'record --seconds writes a WAV of exactly that duration from the fake microphone',
    async () => {
      installFakeMicrophone(folder, 'hello');
      const saved = process.env.XDG_CONFIG_HOME;
      process.env.XDG_CONFIG_HOME = folder;
      try {
        const out = join(folder, 'take.wav');
        const result = await run([
          'record',
          '--out',
          out,
          '--device',
          'fakemic',
          '--seconds',
          '0.5',
          '--json',
        ]);
        expect(result.exitCode).toBe(0);
        expect(JSON.parse(result.stdout)).toMatchObject({
          path: out,
          durationSeconds: 0.5,
          reason: 'limit',
        });
        expect(decodeWav(readFileSync(out), out).channels[0]).toHaveLength(8000);
        const word = join(folder, 'word.wav');
        const untilSilence = await run([
          'record',
          '--out',
          word,
          '--device',
          'fakemic',
          '--until-silence',
          '--vad-start-db',
          '-30',
          '--vad-hangover-ms',
          '200',
          '--json',
        ]);
        const ended = JSON.parse(untilSilence.stdout);
        expect(ended).toMatchObject({ path: word, reason: 'speech-end' });
        // espeak's "hello" is about 0.5 s; the recording stops once 200 ms of silence follow it.
        expect(ended.durationSeconds).toBeGreaterThan(0.3);
        expect(ended.durationSeconds).toBeLessThan(1.5);
        const badSeconds = run(['record', '--out', join(folder, 'x.wav'), '--seconds', 'soon']);
        await expect(badSeconds).rejects.toThrow(/--seconds must be a positive number/);
        const devices = JSON.parse((await run(['audio', 'devices', '--json'])).stdout) as {
          id: string;
        }[];
        expect(devices.map((d) => d.id)).toContain('fakemic');
      } finally {
        process.env.XDG_CONFIG_HOME = saved;
      }
    },
  );
});
