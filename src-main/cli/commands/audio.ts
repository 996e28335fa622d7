import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { chooseDataFolder } from '../../domain/data-folder';
import { listCaptureDevices, noCaptureDeviceError } from '../../domain/audio/capture-devices';
import { normaliseUtterance } from '../../domain/audio/cmvn';
import { FeatureCache } from '../../domain/audio/feature-cache';
import type { FeatureConfigInput, FeatureKind } from '../../domain/audio/feature-config';
import { resolveFeatureConfig } from '../../domain/audio/feature-config';
import { extractFeatures } from '../../domain/audio/feature-extractor';
import type { FeatureMatrix } from '../../domain/audio/feature-matrix';
import type { LevelReading } from '../../domain/audio/level-meter';
import { encodeNpy } from '../../domain/audio/npy';
import type { RecorderProgram, RecordingResult } from '../../domain/audio/recorder';
import { RecorderService } from '../../domain/audio/recorder';
import { DEFAULT_VAD_OPTIONS } from '../../domain/audio/vad';
import { audioInfo, readAudioFile } from '../../domain/audio/wav';
import { reportCliError } from '../cli-errors';

function positiveNumber(name: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0) {
      throw new InvalidArgumentError(`${name} must be a positive number.`);
    }
    return number;
  };
}

function finiteNumber(name: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isFinite(number)) {
      throw new InvalidArgumentError(`${name} must be a number.`);
    }
    return number;
  };
}

function formatDb(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)} dBFS` : '-inf dBFS';
}

/** JSON has no -Infinity: silence is reported as null. */
function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** A one-line meter on stderr: elapsed time, RMS bar, peak, clipping. */
function meterLine(reading: LevelReading): string {
  const width = 30;
  const fraction = Number.isFinite(reading.rmsDbfs)
    ? Math.max(0, Math.min(1, (reading.rmsDbfs + 60) / 60))
    : 0;
  const filled = Math.round(fraction * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const clip = reading.clipped ? ' CLIP!' : '      ';
  return `\r${reading.timeSeconds.toFixed(1).padStart(6)} s [${bar}] peak ${formatDb(reading.peakDbfs).padStart(11)}${clip}`;
}

interface RecordOptions {
  out: string;
  seconds?: number;
  device?: string;
  rate: number;
  untilSilence?: boolean;
  vadStartDb: number;
  vadEndDb: number;
  vadHangoverMs: number;
  program: RecorderProgram;
  json?: boolean;
}

async function runRecord(options: RecordOptions): Promise<void> {
  const recorder = new RecorderService();
  const showMeter = !options.json && process.stderr.isTTY;
  let clipped = false;
  recorder.on('level', (reading) => {
    clipped ||= reading.clipped;
    if (showMeter) process.stderr.write(meterLine(reading));
  });
  recorder.on('vad', (event) => {
    if (options.json || !showMeter) return;
    if (event.type === 'speechStart')
      process.stderr.write(`\n  speech from ${event.timeSeconds.toFixed(2)} s\n`);
    else
      process.stderr.write(
        `\n  speech ${event.startSeconds.toFixed(2)}-${event.endSeconds.toFixed(2)} s\n`,
      );
  });
  const stop = (): void => {
    void recorder.stop();
  };
  await recorder.start({
    outPath: resolve(options.out),
    device: options.device,
    sampleRate: options.rate,
    program: options.program,
    maxSeconds: options.seconds,
    stopAfterSpeech: options.untilSilence,
    vad: {
      startThresholdDbfs: options.vadStartDb,
      endThresholdDbfs: options.vadEndDb,
      hangoverMs: options.vadHangoverMs,
    },
  });
  if (!options.json) {
    const until = options.seconds
      ? `for ${options.seconds} s`
      : options.untilSilence
        ? 'until the end of the first word'
        : 'until Ctrl-C';
    process.stderr.write(`Recording ${until} to ${options.out}…\n`);
  }
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let result: RecordingResult;
  try {
    result = await recorder.done;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  if (showMeter) process.stderr.write('\n');
  if (options.json) {
    process.stdout.write(JSON.stringify({ ...result, clipped }, null, 2) + '\n');
  } else {
    process.stdout.write(
      `${result.path ?? '(not saved)'}: ${result.durationSeconds.toFixed(2)} s at ${result.sampleRate} Hz` +
        ` (${result.reason})${clipped ? ', clipping detected: lower the input gain' : ''}\n`,
    );
  }
  if (result.error) {
    if (!options.json)
      process.stderr.write(`error [${result.error.code}]: ${result.error.message}\n`);
    process.exitCode = 1;
  }
}

interface FeaturesOptions {
  kind: FeatureKind;
  out?: string;
  json?: boolean;
  deltas: boolean;
  cmvn?: boolean;
  melBands?: number;
  numCeps?: number;
  rate: number;
  cache: boolean;
  data?: string;
  repairNonfinite?: boolean;
}

async function computeFeatures(
  file: string,
  options: FeaturesOptions,
): Promise<{ features: FeatureMatrix; cached: boolean }> {
  const input: FeatureConfigInput = { kind: options.kind, sampleRate: options.rate };
  if (!options.deltas) input.deltaOrder = 0;
  if (options.melBands !== undefined) input.melBands = options.melBands;
  if (options.numCeps !== undefined) input.numCeps = options.numCeps;
  const config = resolveFeatureConfig(input);
  // A repaired file is never cached: its bytes would later serve a read that must refuse.
  if (!options.cache || options.repairNonfinite) {
    const audio = await readAudioFile(file, {
      sampleRate: config.sampleRate,
      nonFinite: options.repairNonfinite ? 'repair' : 'refuse',
    });
    if (audio.repairedNonFinite > 0 && !options.json)
      process.stderr.write(
        `${file}: ${audio.repairedNonFinite} non-finite sample(s) set to 0 (--repair-nonfinite)\n`,
      );
    return { features: extractFeatures(audio, config), cached: false };
  }
  const cache = new FeatureCache(join(chooseDataFolder(options.data).dir, 'cache', 'features'));
  const { features, hit } = await cache.forFile(file, config);
  return { features, cached: hit };
}

async function runFeatures(file: string, options: FeaturesOptions): Promise<void> {
  const { features: raw, cached } = await computeFeatures(file, options);
  const features = options.cmvn ? normaliseUtterance(raw) : raw;
  if (options.out) await writeFile(options.out, encodeNpy(features));
  const summary = {
    file,
    kind: options.kind,
    frames: features.frames,
    dims: features.dims,
    cmvn: Boolean(options.cmvn),
    cached,
    out: options.out ?? null,
  };
  if (options.json) {
    const rows = options.out
      ? undefined
      : Array.from({ length: features.frames }, (_, t) =>
          Array.from(features.data.subarray(t * features.dims, (t + 1) * features.dims)),
        );
    process.stdout.write(JSON.stringify(rows ? { ...summary, features: rows } : summary) + '\n');
    return;
  }
  process.stdout.write(
    `${file}: ${features.frames} frames x ${features.dims} dims (${options.kind}${options.cmvn ? ', CMVN' : ''}${cached ? ', from cache' : ''})` +
      (options.out
        ? ` -> ${options.out}\n`
        : '\n  (use --out FILE.npy to save them, or --json to print them)\n'),
  );
}

/** `unfold record`, `unfold audio info|devices`, `unfold features`. */
export function registerAudioCommands(program: Command): void {
  program
    .command('record')
    .description(
      'Record the microphone to a WAV file (16 kHz mono 16-bit by default), with a live level meter',
    )
    .requiredOption(
      '--out <file.wav>',
      'where to write the recording (written as it arrives, finalised on stop)',
    )
    .option(
      '--seconds <n>',
      'stop after this many seconds (default: until Ctrl-C)',
      positiveNumber('--seconds'),
    )
    .option(
      '--device <id>',
      'capture device, as listed by `unfold audio devices` (default: the system default)',
    )
    .option('--rate <hz>', 'sample rate', positiveNumber('--rate'), 16_000)
    .option(
      '--until-silence',
      'stop when the first spoken word ends (energy voice-activity detection)',
    )
    .option(
      '--vad-start-db <dbfs>',
      'speech starts above this level',
      finiteNumber('--vad-start-db'),
      DEFAULT_VAD_OPTIONS.startThresholdDbfs,
    )
    .option(
      '--vad-end-db <dbfs>',
      'speech ends below this level',
      finiteNumber('--vad-end-db'),
      DEFAULT_VAD_OPTIONS.endThresholdDbfs,
    )
    .option(
      '--vad-hangover-ms <ms>',
      'quiet time before speech counts as ended',
      positiveNumber('--vad-hangover-ms'),
      DEFAULT_VAD_OPTIONS.hangoverMs,
    )
    .addOption(
      new Option('--program <name>', 'recorder program')
        .choices(['arecord', 'rec', 'sox'])
        .default('arecord'),
    )
    .option('--json', 'print the result as JSON')
    .action(async (options: RecordOptions) => {
      try {
        await runRecord(options);
      } catch (error) {
        reportCliError(error, Boolean(options.json));
      }
    });

  const audio = program.command('audio').description('Inspect audio files and capture devices');
  audio
    .command('info')
    .description(
      'Show a WAV file’s duration, sample rate, channels, sample format, peak and RMS level',
    )
    .argument('<file>', 'WAV file')
    .option('--json', 'print as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      try {
        const info = await audioInfo(file);
        if (options.json) {
          const printable = {
            ...info,
            peakDbfs: finiteOrNull(info.peakDbfs),
            rmsDbfs: finiteOrNull(info.rmsDbfs),
          };
          process.stdout.write(JSON.stringify(printable, null, 2) + '\n');
          return;
        }
        process.stdout.write(
          [
            `${info.fileName}`,
            `  duration  ${info.durationSeconds.toFixed(3)} s (${info.frames} samples per channel)`,
            `  rate      ${info.sampleRate} Hz`,
            `  channels  ${info.channels}`,
            `  format    ${info.format.description}`,
            `  peak      ${formatDb(info.peakDbfs)}`,
            `  RMS       ${formatDb(info.rmsDbfs)}`,
          ].join('\n') + '\n',
        );
      } catch (error) {
        reportCliError(error, Boolean(options.json));
      }
    });
  audio
    .command('devices')
    .description(
      'List the capture devices to pass as --device (arecord -L without the silent "null"); ' +
        'exits with 1 and says what to do when there is none',
    )
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }) => {
      try {
        const devices = await listCaptureDevices();
        // No device is a failure here: this command exists to find one to record from, so a
        // script running `unfold audio devices && unfold record ...` must stop.
        if (devices.length === 0) throw noCaptureDeviceError();
        if (options.json) process.stdout.write(JSON.stringify(devices, null, 2) + '\n');
        else
          for (const device of devices)
            process.stdout.write(`${device.id}\n    ${device.description || device.name}\n`);
      } catch (error) {
        reportCliError(error, Boolean(options.json));
      }
    });

  program
    .command('features')
    .description(
      'Extract speech features (Kaldi-compatible) from a WAV file and save them as a float32 .npy [frames, dims]',
    )
    .argument(
      '<file>',
      'WAV file (any rate, channels and sample format; mixed to mono and resampled)',
    )
    .addOption(
      new Option('--kind <kind>', 'feature kind')
        .choices(['mfcc', 'fbank', 'spectrogram'])
        .default('mfcc'),
    )
    .option('--out <file.npy>', 'write the features as a float32 .npy of shape [frames, dims]')
    .option('--no-deltas', 'static features only (MFCC: 13 instead of 39 dims)')
    .option('--cmvn', 'per-utterance mean and variance normalisation')
    .option(
      '--mel-bands <n>',
      'mel bands (default 40 for fbank, 23 for MFCC)',
      positiveNumber('--mel-bands'),
    )
    .option('--num-ceps <n>', 'cepstra for MFCC (default 13)', positiveNumber('--num-ceps'))
    .option('--rate <hz>', 'working sample rate', positiveNumber('--rate'), 16_000)
    .option('--no-cache', 'do not use the feature cache in the data folder')
    .option(
      '--repair-nonfinite',
      'set NaN/infinite samples of a float WAV to 0 (default: refuse the file with AUDIO_NONFINITE)',
    )
    .option(
      '--data <dir>',
      'data folder holding the feature cache (default: UNFOLD_DATA or the platform data folder)',
    )
    .option('--json', 'print the summary (and, without --out, the features) as JSON')
    .action(async (file: string, options: FeaturesOptions) => {
      try {
        await runFeatures(file, options);
      } catch (error) {
        reportCliError(error, Boolean(options.json));
      }
    });
}
