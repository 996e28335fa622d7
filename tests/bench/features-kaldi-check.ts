/**
 * Cross-check against torchaudio.compliance.kaldi (needs Debian's python3-torchaudio):
 *   npx tsx tests/bench/features-kaldi-check.ts
 * Synthesises a sentence with espeak-ng, extracts Unfold's features with Kaldi-equivalent
 * settings, runs features-kaldi-check.py on the same WAV, and prints its JSON.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureConfigInput } from '../../src-main/domain/audio/feature-config';
import { extractFeatures } from '../../src-main/domain/audio/feature-extractor';
import { encodeNpy } from '../../src-main/domain/audio/npy';
import { readAudioFile } from '../../src-main/domain/audio/wav';

const folder = mkdtempSync(join(tmpdir(), 'unfold-kaldi-check-'));
try {
  const raw = join(folder, 'espeak.wav');
  execFileSync('espeak-ng', [
    '-v',
    'en-us',
    '-w',
    raw,
    'The quick brown fox jumps over the lazy dog, seven times.',
  ]);
  execFileSync('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', join(folder, 'audio.wav')]);
  const audio = await readAudioFile(join(folder, 'audio.wav'));
  const configs: Record<string, FeatureConfigInput> = {
    spectrogram: { kind: 'spectrogram' },
    fbank40: { kind: 'fbank', melBands: 40 },
    fbank40e: { kind: 'fbank', melBands: 40, useEnergy: true },
    mfcc13: { kind: 'mfcc', deltaOrder: 0 },
    mfcc13c0: { kind: 'mfcc', deltaOrder: 0, useEnergy: false },
  };
  for (const [name, config] of Object.entries(configs)) {
    writeFileSync(join(folder, `unfold-${name}.npy`), encodeNpy(extractFeatures(audio, config)));
  }
  const output = execFileSync(
    '/usr/bin/python3',
    [join(import.meta.dirname, 'features-kaldi-check.py'), folder],
    {
      encoding: 'utf8',
    },
  );
  process.stdout.write(output);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
