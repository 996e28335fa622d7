import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnfoldError } from '../errors';
import { audioInfo, decodeWav, encodeWav, pcm16WavHeader, readAudioFile } from './wav';
import type { WavBitDepth } from './types';

const FIXTURES = join(import.meta.dirname, '../../../tests/fixtures/audio');

async function fixture(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(join(FIXTURES, name)));
}

function errorOf(action: () => unknown): UnfoldError {
  try {
    action();
  } catch (error) {
    if (error instanceof UnfoldError) return error;
    throw error;
  }
  throw new Error('expected an UnfoldError');
}

/** A WAVE_FORMAT_EXTENSIBLE float file, which SoX does not write, built byte by byte. */
function extensibleFloatWav(channels: Float32Array[], sampleRate: number): Uint8Array {
  const frames = channels[0]?.length ?? 0;
  const dataBytes = frames * channels.length * 4;
  const bytes = new Uint8Array(68 + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string): void => {
    for (let i = 0; i < text.length; i++) bytes[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 60 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 40, true);
  view.setUint16(20, 0xfffe, true);
  view.setUint16(22, channels.length, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels.length * 4, true);
  view.setUint16(32, channels.length * 4, true);
  view.setUint16(34, 32, true);
  view.setUint16(36, 22, true); // cbSize
  view.setUint16(38, 32, true); // valid bits
  view.setUint32(40, 0, true); // channel mask
  // KSDATAFORMAT_SUBTYPE_IEEE_FLOAT: 00000003-0000-0010-8000-00aa00389b71
  bytes.set([3, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71], 44);
  ascii(60, 'data');
  view.setUint32(64, dataBytes, true);
  for (let f = 0; f < frames; f++) {
    channels.forEach((channel, c) => {
      view.setFloat32(68 + (f * channels.length + c) * 4, channel[f] as number, true);
    });
  }
  return bytes;
}

describe('decodeWav', () => {
  let reference: Float32Array[];
  beforeAll(async () => {
    reference = decodeWav(await fixture('tone3ch-f64.wav'), 'tone3ch-f64.wav').channels;
  });

  it.each([
    ['tone3ch-u8.wav', '8-bit PCM (extensible)', 2 ** -7],
    ['tone3ch-s16.wav', '16-bit PCM (extensible)', 2 ** -15],
    ['tone3ch-s24.wav', '24-bit PCM (extensible)', 2 ** -23],
    ['tone3ch-s32.wav', '32-bit PCM (extensible)', 2 ** -31],
    ['tone3ch-f32.wav', '32-bit float', 2 ** -24],
  ])(
    'reads %s as %s within one quantisation step of the float original',
    async (name, desc, lsb) => {
      const decoded = decodeWav(await fixture(name), name);
      expect(decoded.sampleRate).toBe(22_050);
      expect(decoded.format.description).toBe(desc);
      expect(decoded.channels).toHaveLength(3);
      decoded.channels.forEach((channel, c) => {
        const original = reference[c] as Float32Array;
        expect(channel.length).toBe(original.length);
        let worst = 0;
        for (let i = 0; i < channel.length; i++) {
          worst = Math.max(worst, Math.abs((channel[i] as number) - (original[i] as number)));
        }
        expect(worst).toBeLessThanOrEqual(lsb * 1.01 + 1e-7);
      });
    },
  );

  it('reads the 64-bit float original at the level SoX wrote (-3 dB peak)', () => {
    const peak = Math.max(...reference.map((channel) => Math.max(...channel.map(Math.abs))));
    expect(20 * Math.log10(peak)).toBeCloseTo(-3, 1);
  });

  it.each(['tone2ch-alaw.wav', 'tone2ch-mulaw.wav'])('expands the companded %s', async (name) => {
    const decoded = decodeWav(await fixture(name), name);
    expect(decoded.channels).toHaveLength(2);
    const original = reference[1] as Float32Array;
    const second = decoded.channels[1] as Float32Array;
    let worst = 0;
    for (let i = 0; i < original.length; i++) {
      worst = Math.max(worst, Math.abs((second[i] as number) - (original[i] as number)));
    }
    // 8-bit companding keeps about 1/64 relative precision near full scale.
    expect(worst).toBeLessThan(0.02);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE float data as floats (wavefile alone reads it as integers)', () => {
    const channels = [new Float32Array([0.25, -0.5, 1]), new Float32Array([0.125, 0, -1])];
    const decoded = decodeWav(extensibleFloatWav(channels, 48_000), 'ext.wav');
    expect(decoded.format.description).toBe('32-bit float (extensible)');
    expect(decoded.channels).toEqual(channels);
  });

  it('accepts a streamed file whose data size is a placeholder', async () => {
    const bytes = await fixture('tone1ch-s16.wav');
    const streamed = bytes.slice();
    // SoX writes a canonical 44-byte header: the data size sits at byte 40.
    new DataView(streamed.buffer).setUint32(40, 0x7fffffff, true);
    const decoded = decodeWav(streamed, 'streamed.wav');
    expect(decoded.channels[0]).toEqual(decodeWav(bytes, 'x.wav').channels[0]);
  });
});

describe('decodeWav on broken input', () => {
  it.each<[string, () => Promise<Uint8Array>, string, RegExp]>([
    ['empty', async () => new Uint8Array(0), 'AUDIO_EMPTY', /empty/],
    [
      'text',
      async () => new TextEncoder().encode('hello, this is a text file'),
      'AUDIO_NOT_WAV',
      /not a WAV/,
    ],
    [
      'header cut',
      async () => (await fixture('tone1ch-s16.wav')).slice(0, 30),
      'AUDIO_TRUNCATED',
      /truncated/,
    ],
    [
      'data cut',
      async () => (await fixture('tone1ch-s16.wav')).slice(0, 1000),
      'AUDIO_TRUNCATED',
      /announces 2206 bytes of audio but only 956 are present/,
    ],
    [
      'zero channels',
      async () => {
        const bytes = (await fixture('tone1ch-s16.wav')).slice();
        new DataView(bytes.buffer).setUint16(22, 0, true);
        return bytes;
      },
      'AUDIO_CORRUPT',
      /0 channels/,
    ],
    [
      'MS ADPCM',
      async () => {
        const bytes = (await fixture('tone1ch-s16.wav')).slice();
        new DataView(bytes.buffer).setUint16(20, 2, true);
        return bytes;
      },
      'AUDIO_UNSUPPORTED',
      /format code 2/,
    ],
  ])('rejects %s input with a clear error naming the file', async (_label, make, code, message) => {
    const bytes = await make();
    const error = errorOf(() => decodeWav(bytes, '/data/take-7.wav'));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^\/data\/take-7\.wav: /);
    expect(error.message).toMatch(message);
  });
});

describe('encodeWav', () => {
  it.each<[WavBitDepth, number]>([
    [16, 16],
    [24, 24],
    [32, 32],
  ])('round-trips %s-bit PCM bit for bit', (bitDepth, bits) => {
    const step = 2 ** -(bits - 1);
    const samples = new Float32Array([0, step, -step, 0.5, -1, 1 - step, 12_345 * step]);
    const bytes = encodeWav({ sampleRate: 16_000, samples }, { bitDepth });
    const decoded = decodeWav(bytes, 'round.wav');
    expect(decoded.format.description).toBe(`${bits}-bit PCM`);
    expect(decoded.sampleRate).toBe(16_000);
    expect(decoded.channels[0]).toEqual(samples);
  });

  it('round-trips 32-bit float exactly and clips integer output at full scale', () => {
    const samples = new Float32Array([0.1, -0.7, 1.5, -2, 3e-9]);
    const float = decodeWav(encodeWav({ sampleRate: 8000, samples }, { bitDepth: '32f' }), 'f.wav');
    expect(float.channels[0]).toEqual(samples);
    const clipped = decodeWav(encodeWav({ sampleRate: 8000, samples }), 'c.wav').channels[0];
    expect(clipped?.[2]).toBe(32_767 / 32_768);
    expect(clipped?.[3]).toBe(-1);
  });

  it('writes a streaming header whose sizes match the data that follows', () => {
    const header = pcm16WavHeader(16_000, 1, 4);
    const bytes = new Uint8Array(48);
    bytes.set(header);
    bytes.set([0x00, 0x40, 0x00, 0xc0], 44); // 0.5, -0.5
    expect(decodeWav(bytes, 'h.wav').channels[0]).toEqual(new Float32Array([0.5, -0.5]));
  });
});

describe('readAudioFile and audioInfo', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'unfold-wav-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('mixes to mono and resamples to the working rate', async () => {
    const audio = await readAudioFile(join(FIXTURES, 'tone3ch-f32.wav'), { sampleRate: 16_000 });
    expect(audio.sampleRate).toBe(16_000);
    expect(Math.abs(audio.samples.length - 1103 * (16_000 / 22_050))).toBeLessThan(1);
    const native = await readAudioFile(join(FIXTURES, 'tone3ch-f32.wav'));
    expect(native.sampleRate).toBe(22_050);
    const decoded = decodeWav(await fixture('tone3ch-f32.wav'), 'x');
    const i = 500;
    const mean = decoded.channels.reduce((sum, channel) => sum + (channel[i] as number), 0) / 3;
    expect(native.samples[i]).toBeCloseTo(mean, 6);
  });

  it('reports duration, format, peak and RMS', async () => {
    const info = await audioInfo(join(FIXTURES, 'tone1k-16k.wav'));
    expect(info).toMatchObject({
      sampleRate: 16_000,
      channels: 1,
      frames: 8000,
      durationSeconds: 0.5,
    });
    expect(info.format.description).toBe('16-bit PCM');
    expect(info.peakDbfs).toBeCloseTo(-6.02, 1);
    expect(info.rmsDbfs).toBeCloseTo(-9.03, 1);
  });

  it('names a missing file', async () => {
    const path = join(folder, 'missing.wav');
    await expect(readAudioFile(path)).rejects.toMatchObject({ code: 'AUDIO_NOT_FOUND' });
    await writeFile(join(folder, 'empty.wav'), '');
    await expect(audioInfo(join(folder, 'empty.wav'))).rejects.toThrow(
      /empty\.wav: the file is empty/,
    );
  });
});

describe('non-finite samples', () => {
  const nan = new Float32Array([0.1, -0.2, 0.3, 0.4, 0.5, NaN, 0.2, NaN]);

  it.each([
    [
      'NaN in a 32-bit float file',
      encodeWav({ sampleRate: 16_000, samples: nan }, { bitDepth: '32f' }),
      /sample 5 \(0\.000 s\) is NaN, and 2 of 8 samples are not finite/,
    ],
    [
      '+Infinity in the second channel of an extensible float file',
      extensibleFloatWav([new Float32Array(4), new Float32Array([0, 0, 0, Infinity])], 2),
      /sample 3 \(1\.500 s, channel 2\) is Infinity, and 1 of 8 samples are not finite/,
    ],
    [
      '-Infinity at the start',
      encodeWav(
        { sampleRate: 8000, samples: new Float32Array([-Infinity, 0]) },
        { bitDepth: '32f' },
      ),
      /sample 0 \(0\.000 s\) is -Infinity/,
    ],
  ])(
    'refuses %s with AUDIO_NONFINITE naming the file and the first bad sample',
    (_, bytes, message) => {
      const error = errorOf(() => decodeWav(bytes, 'bad.wav'));
      expect(error.code).toBe('AUDIO_NONFINITE');
      expect(error.message).toMatch(/^bad\.wav: /);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/--repair-nonfinite/);
    },
  );

  it('replaces them with 0 and counts them when asked to repair', () => {
    const bytes = encodeWav({ sampleRate: 16_000, samples: nan }, { bitDepth: '32f' });
    const decoded = decodeWav(bytes, 'bad.wav', { nonFinite: 'repair' });
    expect(decoded.repairedNonFinite).toBe(2);
    expect(decoded.channels[0]).toEqual(new Float32Array([0.1, -0.2, 0.3, 0.4, 0.5, 0, 0.2, 0]));
    expect(
      decodeWav(
        encodeWav({ sampleRate: 8000, samples: new Float32Array([0.5]) }, { bitDepth: '32f' }),
        'ok.wav',
        { nonFinite: 'repair' },
      ).repairedNonFinite,
    ).toBeUndefined();
  });

  it('refuses by default in readAudioFile and audioInfo, and repairs on request', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'unfold-nan-'));
    try {
      const path = join(folder, 'nan.wav');
      await writeFile(path, encodeWav({ sampleRate: 16_000, samples: nan }, { bitDepth: '32f' }));
      await expect(readAudioFile(path)).rejects.toMatchObject({
        code: 'AUDIO_NONFINITE',
        details: { file: path, sample: 5, nonFiniteSamples: 2 },
      });
      await expect(audioInfo(path)).rejects.toMatchObject({ code: 'AUDIO_NONFINITE' });
      const repaired = await readAudioFile(path, { sampleRate: 8000, nonFinite: 'repair' });
      expect(repaired.repairedNonFinite).toBe(2);
      expect(repaired.samples.every((value) => Number.isFinite(value))).toBe(true);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
