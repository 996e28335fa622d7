import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav, readAudioFile } from '../../audio/wav';
import { UnfoldError, throwIfAborted } from '../../errors';
import { writeFileAtomically } from '../../fs/atomic-write';
import type { LongOperationOptions } from '../../jobs/progress';
import { WORKING_AUDIO } from '../manifest';
import type { RecordingSource, ImportReport } from '../import/speech-import';
import { importSpeechRecordings } from '../import/speech-import';
import { planSpeakerSplit } from '../splits';
import { shiftPitch, speakToFile } from './engine-commands';
import { roomTone, roomToneSpecs } from './room-tone';
import { trimSilence } from './trim';
import type { SynthEngine, SynthVoice } from './voices';
import { availableVoices } from './voices';

/** Speaking-rate variations as duration stretch factors: faster, normal, slower. */
export const DEFAULT_STRETCHES = [0.8, 1, 1.25];
/** Pitch variations in cents (sox `pitch`, duration unchanged): lower, normal, higher. */
export const DEFAULT_PITCH_CENTS = [-200, 0, 200];

/** Labels of the optional extra classes (see speech/word-classes.ts for how they are shown). */
export const SILENCE_CLASS = '_silence_';
export const UNKNOWN_CLASS = '_unknown_';

export interface SynthWordsOptions extends LongOperationOptions {
  name: string;
  words: string[];
  engines?: SynthEngine[];
  /** Only these voices (engine names such as kal16, en-us); all available when absent. */
  voices?: string[];
  stretches?: number[];
  pitchCents?: number[];
  /** Fractions per split, assigned by voice (speaker); default train 0.8, dev 0.1, test 0.1. */
  fractions?: Record<string, number>;
  seed?: number;
  /** Folder for intermediate files (defaults to the system temporary folder). */
  tempDir?: string;
  /**
   * Adds a `_silence_` class: this many clips of room tone per voice (low-level noise of varied
   * level and colour, made from the seed; the voice only decides which split a clip goes to).
   */
  silenceClips?: number;
  /**
   * Adds an `_unknown_` class: these other words spoken by the same voices, one per voice and
   * rate/pitch variation in turn, so the class is as large as each word's.
   */
  unknownWords?: string[];
}

export function normaliseWords(words: readonly string[]): string[] {
  const cleaned = words.map((w) => w.normalize('NFC').trim().toLowerCase()).filter(Boolean);
  for (const word of cleaned) {
    if (/\s/.test(word))
      throw new UnfoldError(
        'SYNTH_BAD_INPUT',
        `"${word}" is not a single word; use synth sentences for phrases.`,
      );
    if (word.length > 64)
      throw new UnfoldError(
        'SYNTH_BAD_INPUT',
        `"${word.slice(0, 20)}..." is too long for a word (64 characters at most).`,
      );
  }
  return [...new Set(cleaned)];
}

export async function selectVoices(
  engines: SynthEngine[] | undefined,
  names: string[] | undefined,
): Promise<SynthVoice[]> {
  const wanted = engines ?? ['espeak-ng', 'flite', 'festival'];
  const voices = (await availableVoices(wanted)).filter(
    (v) => !names || names.includes(v.name) || names.includes(v.speaker),
  );
  if (voices.length === 0) {
    throw new UnfoldError(
      'SYNTH_MISSING_PROGRAM',
      `No voice available for ${wanted.join(', ')}${names ? ` named ${names.join(', ')}` : ''}: install a synthesiser with \`sudo apt install espeak-ng flite festival festvox-kallpc16k\`.`,
    );
  }
  return voices;
}

/**
 * An isolated-word corpus spoken by every selected voice with rate and pitch variations,
 * silence-trimmed, the voice as the speaker, and split by voice so that test voices are
 * never heard in training.
 */
export async function synthesiseWords(
  outDir: string,
  options: SynthWordsOptions,
): Promise<ImportReport> {
  const words = normaliseWords(options.words);
  if (words.length === 0) throw new UnfoldError('SYNTH_BAD_INPUT', 'Give at least one word.');
  const unknownWords = normaliseWords(options.unknownWords ?? []);
  const clash = unknownWords.find((w) => words.includes(w));
  if (clash)
    throw new UnfoldError(
      'SYNTH_BAD_INPUT',
      `"${clash}" is both a word and an unknown word: the unknown words must be other words.`,
    );
  const silenceClips = options.silenceClips ?? 0;
  if (!Number.isInteger(silenceClips) || silenceClips < 0)
    throw new UnfoldError('SYNTH_BAD_INPUT', 'The number of silence clips must be a whole number.');
  const voices = await selectVoices(options.engines, options.voices);
  const stretches = options.stretches ?? DEFAULT_STRETCHES;
  const pitches = options.pitchCents ?? DEFAULT_PITCH_CENTS;
  const seed = options.seed ?? 0;
  const temp = await mkdtemp(join(options.tempDir ?? tmpdir(), 'unfold-synth-'));
  const variations = stretches.length * pitches.length;
  const total =
    voices.length *
    ((words.length + (unknownWords.length > 0 ? 1 : 0)) * variations + silenceClips);
  const sources: RecordingSource[] = [];
  let done = 0;
  const progress = (message: string): void => {
    throwIfAborted(options.signal);
    options.onProgress?.({ fraction: (0.9 * done) / total, message });
  };
  /** Speaks one word with one variation, trimmed, into a 16-bit WAV of the working rate. */
  const speak = async (
    voice: SynthVoice,
    word: string,
    stretch: number,
    cents: number,
  ): Promise<string> => {
    const raw = join(temp, `${done}-raw.wav`);
    await speakToFile(voice, word, raw, stretch, options.signal);
    let spoken = raw;
    if (cents !== 0) {
      spoken = join(temp, `${done}-pitch.wav`);
      await shiftPitch(raw, spoken, cents, options.signal);
    }
    const audio = await readAudioFile(spoken, { sampleRate: WORKING_AUDIO.sampleRate });
    const trimmed = trimSilence(audio.samples, audio.sampleRate);
    return writeClip(trimmed.samples);
  };
  const writeClip = async (samples: Float32Array): Promise<string> => {
    const final = join(temp, `${done}.wav`);
    await writeFileAtomically(
      final,
      encodeWav({ sampleRate: WORKING_AUDIO.sampleRate, samples }, { bitDepth: 16 }),
    );
    return final;
  };
  try {
    for (const [v, voice] of voices.entries()) {
      for (const word of words) {
        for (const [r, stretch] of stretches.entries()) {
          for (const [p, cents] of pitches.entries()) {
            progress(`${voice.speaker}: "${word}" (rate ${stretch}, pitch ${cents} cents)`);
            sources.push({
              sourcePath: await speak(voice, word, stretch, cents),
              speaker: voice.speaker,
              name: `${word}_r${r}p${p}`,
              split: 'train',
              utterances: [{ text: word }],
            });
            done++;
          }
        }
      }
      if (unknownWords.length > 0) {
        for (const [r, stretch] of stretches.entries()) {
          for (const [p, cents] of pitches.entries()) {
            // Each voice starts further along the list, so every unknown word gets spoken.
            const k = v * variations + r * pitches.length + p + seed;
            const word = unknownWords[k % unknownWords.length] as string;
            progress(`${voice.speaker}: unknown "${word}" (rate ${stretch}, pitch ${cents} cents)`);
            sources.push({
              sourcePath: await speak(voice, word, stretch, cents),
              speaker: voice.speaker,
              name: `unknown_${word}_r${r}p${p}`,
              split: 'train',
              utterances: [{ text: UNKNOWN_CLASS }],
            });
            done++;
          }
        }
      }
      const tones = roomToneSpecs(silenceClips, (seed * 31 + v) >>> 0);
      for (const [k, spec] of tones.entries()) {
        progress(`${voice.speaker}: silence ${k + 1}/${silenceClips} (${spec.colour} noise)`);
        sources.push({
          sourcePath: await writeClip(roomTone(spec, WORKING_AUDIO.sampleRate)),
          speaker: voice.speaker,
          name: `silence_${k}`,
          split: 'train',
          utterances: [{ text: SILENCE_CLASS }],
        });
        done++;
      }
    }
    const plan = planSpeakerSplit(
      sources.map((s, k) => ({ id: String(k), speaker: s.speaker })),
      { fractions: options.fractions, seed },
    );
    sources.forEach((s, k) => (s.split = plan.assignments.get(String(k)) ?? 'train'));
    return await importSpeechRecordings(outDir, sources, {
      name: options.name,
      format: 'synth-words',
      sourcePath:
        `${voices.length} voices x ${words.length} words x ${stretches.length} rates x ${pitches.length} pitches` +
        (unknownWords.length > 0 ? ` + ${UNKNOWN_CLASS} (${unknownWords.length} words)` : '') +
        (silenceClips > 0 ? ` + ${SILENCE_CLASS} (${silenceClips} clips per voice)` : ''),
      split: {
        method: 'speaker',
        seed,
        ...(options.fractions ? { fractions: options.fractions } : {}),
      },
      strict: true,
      signal: options.signal,
      onProgress: (progress) =>
        options.onProgress?.({ ...progress, fraction: 0.9 + 0.1 * (progress.fraction ?? 0) }),
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
