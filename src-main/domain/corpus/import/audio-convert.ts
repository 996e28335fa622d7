import { encodeWav, readAudioFile } from '../../audio/wav';
import { UnfoldError } from '../../errors';
import { WORKING_AUDIO } from '../manifest';

export interface ConvertedAudio {
  wav: Uint8Array;
  duration: number;
}

/**
 * Reads any WAV the audio module supports and re-encodes it once in the corpus working
 * format (16 kHz, mono, 16-bit PCM). The source file is only read, never modified.
 */
export async function convertToWorkingFormat(sourcePath: string): Promise<ConvertedAudio> {
  const audio = await readAudioFile(sourcePath, { sampleRate: WORKING_AUDIO.sampleRate });
  if (audio.samples.length === 0) {
    throw new UnfoldError('AUDIO_EMPTY', `${sourcePath}: the file holds no audio samples.`);
  }
  return {
    wav: encodeWav(audio, { bitDepth: WORKING_AUDIO.bitDepth }),
    duration: audio.samples.length / audio.sampleRate,
  };
}
