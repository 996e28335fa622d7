/** One channel of audio at one sample rate, samples in [-1, 1]: the working form of all audio code. */
export interface MonoAudio {
  sampleRate: number;
  samples: Float32Array;
}

/** How the samples were stored in a file, for display and for round trips. */
export interface SampleFormat {
  /** 'pcm' for integer samples, 'float' for IEEE float, 'alaw' / 'mulaw' / 'ima-adpcm' for codecs. */
  encoding: 'pcm' | 'float' | 'alaw' | 'mulaw' | 'ima-adpcm';
  /** Bits per stored sample (8, 16, 24, 32, 64; 4 for IMA ADPCM). */
  bitsPerSample: number;
  /** True when the header is WAVE_FORMAT_EXTENSIBLE (0xFFFE). */
  extensible: boolean;
  /** Human-readable summary such as "16-bit PCM" or "32-bit float (extensible)". */
  description: string;
}

/** Every channel of a decoded file, normalised to [-1, 1]. */
export interface DecodedAudio {
  sampleRate: number;
  channels: Float32Array[];
  format: SampleFormat;
  /** How many NaN/infinite samples were set to 0 (only when decoded with nonFinite: 'repair'). */
  repairedNonFinite?: number;
}

/** Bit depths the writer supports: integer 16/24/32 or 32-bit float. */
export type WavBitDepth = 16 | 24 | 32 | '32f';
