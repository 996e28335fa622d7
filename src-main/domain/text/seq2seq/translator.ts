/**
 * A trained seq2seq experiment, loaded to decode new text: the text is cut into symbols as the
 * corpus's source side was (tokens or characters), decoded by beam search (beam 1: greedy), and
 * the n-best outputs come back with their log-probabilities and length-normalised scores.
 *
 * Bad input: an empty (or blank) text is refused; a beam outside 1..MAX_BEAM is refused; symbols
 * training never saw are decoded as the unknown symbol and listed in the result; a text longer
 * than every training source is decoded (flagged `longerThanTraining`): without attention the
 * single final state must hold the whole source and quality falls with length. With attention
 * every output comes with its alignment matrix (the attention weights).
 */
import { basename } from 'node:path';
import { initTfBackend } from '../../backend/tf-backend';
import { symbolsOf } from '../../corpus/formats/pairs';
import { UnfoldError } from '../../errors';
import { MAX_BEAM } from '../../experiments/config/seq2seq-config';
import type { Seq2seqConfig } from '../../experiments/config/seq2seq-config';
import { experimentModelFile } from '../../experiments/experiment-folder';
import { readExperimentConfig, readExperimentLabels } from '../../experiments/experiment-records';
import type { DecoderAttention } from '../../rnn/model-config';
import { loadModel } from '../../rnn/model-io';
import type { RnnModel } from '../../rnn/rnn-model';
import { joinSymbols } from './symbol-tables';
import type { Seq2seqLabels } from './symbol-tables';
import { decodeSources } from './translate-sources';

export interface TranslatedOutput {
  /** The output as text (tokens joined by spaces, characters as they are). */
  text: string;
  symbols: string[];
  logProb: number;
  score: number;
  /** False when it stopped at the length limit without an end symbol. */
  finished: boolean;
  /**
   * Models with attention: the attention weights, one row per output step (each output symbol,
   * then the end symbol when it ended) over the source symbols (columns), each row summing to 1.
   */
  alignment?: number[][];
}

export interface Translation {
  source: string;
  sourceSymbols: string[];
  beam: number;
  /** Best first. */
  nBest: TranslatedOutput[];
  /** Source symbols training never saw (decoded as the unknown symbol). */
  unknownSymbols: string[];
  longerThanTraining: boolean;
}

export interface Seq2seqTranslator {
  dir: string;
  name: string;
  /** The beam of the experiment's config (its default). */
  defaultBeam: number;
  /** The model's decoder attention ('none': outputs come without alignments). */
  attention: DecoderAttention;
  translate(text: string, options?: { beam?: number }): Translation;
  dispose(): void;
}

export function checkBeam(beam: number): void {
  if (!Number.isInteger(beam) || beam < 1 || beam > MAX_BEAM)
    throw new UnfoldError(
      'SEQ2SEQ_BAD_BEAM',
      `The beam must be a whole number from 1 (greedy) to ${MAX_BEAM} (got ${beam}).`,
    );
}

export function translatorFrom(
  dir: string,
  model: RnnModel,
  config: Seq2seqConfig,
  labels: Seq2seqLabels,
): Seq2seqTranslator {
  return {
    dir,
    name: basename(dir),
    defaultBeam: config.decoding.beam,
    attention: config.model.attention,
    translate(text, options = {}) {
      const beam = options.beam ?? config.decoding.beam;
      checkBeam(beam);
      const symbols = symbolsOf(text.trim(), labels.levels.source);
      if (symbols.length === 0)
        throw new UnfoldError('SEQ2SEQ_EMPTY_SOURCE', 'The text to translate is empty.');
      const [decoded] = decodeSources(
        model,
        labels,
        [symbols],
        { ...config.decoding, beam },
        { withAlignment: true },
      );
      if (!decoded) throw new Error('decoding returned nothing for one source');
      return {
        source: text,
        sourceSymbols: symbols,
        beam,
        nBest: decoded.nBest.map((h) => ({
          text: joinSymbols(h.symbols, labels.levels.target),
          symbols: h.symbols,
          logProb: h.logProb,
          score: h.score,
          finished: h.finished,
          ...(h.alignment ? { alignment: h.alignment } : {}),
        })),
        unknownSymbols: decoded.unknownSymbols,
        longerThanTraining: decoded.longerThanTraining,
      };
    },
    dispose: () => model.dispose(),
  };
}

export async function loadSeq2seqTranslator(dir: string): Promise<Seq2seqTranslator> {
  await initTfBackend();
  const config = await readExperimentConfig(dir);
  if (config.task !== 'seq2seq')
    throw new UnfoldError(
      'TEXT_WRONG_TASK',
      `${dir} is a ${config.task} experiment; translating needs a seq2seq experiment.`,
    );
  const labels = await readExperimentLabels<Seq2seqLabels>(dir);
  const model = await loadModel(experimentModelFile(dir));
  return translatorFrom(dir, model, config, labels);
}
