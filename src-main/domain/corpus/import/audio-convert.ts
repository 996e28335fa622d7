import { encodeWav, readAudioFile } from '../../audio/wav';
import { UnfoldError } from '../../errors';
import { WORKING_AUDIO } from '../manifest';

export interface ConvertedAudio {
  wav: Uint8Array;
  duration: number;
  /** NaN/infinite samples set to 0 (only with `repairNonFinite`). */
  repairedNonFinite: number;
}

export interface ConvertOptions {
  /** Replace NaN/infinite samples with 0 instead of refusing the file (AUDIO_NONFINITE). */
  repairNonFinite?: boolean;
}

/**
 * Reads any WAV the audio module supports and re-encodes it once in the corpus working
 * format (16 kHz, mono, 16-bit PCM). The source file is only read, never modified. A file
 * with non-finite samples is refused unless the caller asks for repair: encoding would
 * otherwise turn NaN into silence without a word.
 */
export async function convertToWorkingFormat(
  sourcePath: string,
  options: ConvertOptions = {},
): Promise<ConvertedAudio> {
  const audio = await readAudioFile(sourcePath, {
    sampleRate: WORKING_AUDIO.sampleRate,
    nonFinite: options.repairNonFinite ? 'repair' : 'refuse',
  });
  if (audio.samples.length === 0) {
    throw new UnfoldError('AUDIO_EMPTY', `${sourcePath}: the file holds no audio samples.`);
  }
  return {
    wav: encodeWav(audio, { bitDepth: WORKING_AUDIO.bitDepth }),
    duration: audio.samples.length / audio.sampleRate,
    repairedNonFinite: audio.repairedNonFinite,
  };
}
