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
import { trimSilence } from './trim';
import type { SynthEngine, SynthVoice } from './voices';
import { availableVoices } from './voices';

/** Speaking-rate variations as duration stretch factors: faster, normal, slower. */
export const DEFAULT_STRETCHES = [0.8, 1, 1.25];
/** Pitch variations in cents (sox `pitch`, duration unchanged): lower, normal, higher. */
export const DEFAULT_PITCH_CENTS = [-200, 0, 200];

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
  const voices = await selectVoices(options.engines, options.voices);
  const stretches = options.stretches ?? DEFAULT_STRETCHES;
  const pitches = options.pitchCents ?? DEFAULT_PITCH_CENTS;
  const temp = await mkdtemp(join(options.tempDir ?? tmpdir(), 'unfold-synth-'));
  const total = voices.length * words.length * stretches.length * pitches.length;
  const sources: RecordingSource[] = [];
  try {
    let done = 0;
    for (const voice of voices) {
      for (const word of words) {
        for (const [r, stretch] of stretches.entries()) {
          for (const [p, cents] of pitches.entries()) {
            throwIfAborted(options.signal);
            options.onProgress?.({
              fraction: (0.9 * done) / total,
              message: `${voice.speaker}: "${word}" (rate ${stretch}, pitch ${cents} cents)`,
            });
            const raw = join(temp, `${done}-raw.wav`);
            await speakToFile(voice, word, raw, stretch, options.signal);
            let spoken = raw;
            if (cents !== 0) {
              spoken = join(temp, `${done}-pitch.wav`);
              await shiftPitch(raw, spoken, cents, options.signal);
            }
            const audio = await readAudioFile(spoken, { sampleRate: WORKING_AUDIO.sampleRate });
            const trimmed = trimSilence(audio.samples, audio.sampleRate);
            const final = join(temp, `${done}.wav`);
            await writeFileAtomically(
              final,
              encodeWav(
                { sampleRate: audio.sampleRate, samples: trimmed.samples },
                { bitDepth: 16 },
              ),
            );
            sources.push({
              sourcePath: final,
              speaker: voice.speaker,
              name: `${word}_r${r}p${p}`,
              split: 'train',
              utterances: [{ text: word }],
            });
            done++;
          }
        }
      }
    }
    const plan = planSpeakerSplit(
      sources.map((s, k) => ({ id: String(k), speaker: s.speaker })),
      { fractions: options.fractions, seed: options.seed ?? 0 },
    );
    sources.forEach((s, k) => (s.split = plan.assignments.get(String(k)) ?? 'train'));
    return await importSpeechRecordings(outDir, sources, {
      name: options.name,
      format: 'synth-words',
      sourcePath: `${voices.length} voices x ${words.length} words x ${stretches.length} rates x ${pitches.length} pitches`,
      split: {
        method: 'speaker',
        seed: options.seed ?? 0,
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
