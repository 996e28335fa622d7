import type { ApiErrorData } from './errors';

/** Types of the audio area of the contract (capture devices, recording, opening WAV files). */

export interface CaptureDeviceInfo {
  /** What to pass as `device` when starting a recording (arecord -D). */
  id: string;
  name: string;
  description: string;
}

/**
 * What every command and view says when no capture device is listed (`unfold audio devices`,
 * `unfold doctor`, the device pickers): declared once here so that they all say the same.
 */
export const NO_CAPTURE_DEVICE = {
  message: 'No capture device found: ALSA (`arecord -L`) lists none besides "null".',
  hint:
    'Connect a microphone and check that your user may open it (the `audio` group; in a ' +
    'container, pass /dev/snd through), then run `unfold audio devices` again. Files work ' +
    'without one: `unfold recognize EXP FILE.wav`.',
} as const;

export type RecorderProgramName = 'arecord' | 'rec' | 'sox';
export type RecorderStateName = 'idle' | 'starting' | 'recording' | 'paused' | 'stopping';

/** A WAV file in the data folder, named by its path relative to that folder. */
export interface RecordingEntry {
  /** Relative to the data folder, with forward slashes, e.g. `recordings/2026-11-22T04-30-00Z.wav`. */
  path: string;
  name: string;
  /** 'recordings' for takes made in Unfold, 'imports' for files opened from disk. */
  folder: 'recordings' | 'imports';
  sizeBytes: number;
  modifiedMs: number;
  /** Read from the header; null when the file is not a readable WAV. */
  durationSeconds: number | null;
  sampleRate: number | null;
}

export interface RecordingStarted {
  /** Where the take is being written, relative to the data folder. */
  path: string;
  sampleRate: number;
  /** Shape of the live spectrogram frames that `record:frames` will carry. */
  frameDims: number;
  frameShiftSeconds: number;
  melBands: number;
  lowHz: number;
  highHz: number;
}

export interface RecorderStatus {
  state: RecorderStateName;
}

export interface RecordingStopped {
  /** Relative to the data folder; null when nothing was captured. */
  path: string | null;
  sampleRate: number;
  samples: number;
  durationSeconds: number;
  reason: 'stopped' | 'limit' | 'speech-end' | 'ended' | 'failed';
  error?: ApiErrorData;
}

export interface LevelPayload {
  timeSeconds: number;
  /** -Infinity for digital silence. */
  rmsDbfs: number;
  peakDbfs: number;
  clipped: boolean;
}

export type VadPayload =
  | { type: 'speechStart'; timeSeconds: number }
  | { type: 'speechEnd'; startSeconds: number; endSeconds: number };

/** Log-mel frames of the live spectrogram: frames x dims, row-major, as a typed array. */
export interface FramesPayload {
  data: Float32Array;
  frames: number;
  dims: number;
  /** Index of the first frame in the whole recording. */
  startFrame: number;
}

/** A frames x dims matrix as it crosses the API. */
export interface FeatureMatrixData {
  data: Float32Array;
  frames: number;
  dims: number;
}

export interface AudioFileInfo {
  path: string;
  name: string;
  sampleRate: number;
  channels: number;
  durationSeconds: number;
  format: string;
  peakDbfs: number;
  rmsDbfs: number;
}

/**
 * Everything the Record view draws for a file, computed in main: a downsampled waveform
 * overview, a log-mel spectrogram and an MFCC matrix on one time axis.
 */
export interface AudioAnalysis {
  info: AudioFileInfo;
  /** Rate the features were computed at (the file is resampled to it). */
  analysisRate: number;
  frameShiftSeconds: number;
  frameLengthSeconds: number;
  /** Log-mel energies (natural log), frames x melBands, low bands first. */
  spectrogram: FeatureMatrixData;
  melBands: number;
  lowHz: number;
  highHz: number;
  /** MFCC c0..c12 (c0 replaced by log energy), frames x 13. */
  mfcc: FeatureMatrixData;
  /** Min/max pairs per bucket of the mono mix: [max0, min0, max1, min1, ...]. */
  peaks: Float32Array;
  peaksPerSecond: number;
}

export interface AudioBytes {
  path: string;
  bytes: Uint8Array;
  mimeType: 'audio/wav';
}
