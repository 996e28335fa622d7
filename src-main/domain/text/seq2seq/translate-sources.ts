/**
 * Decoding sources of symbols with a trained model and its symbol tables: the n-best outputs with
 * their scores, and what the sources held that training did not (symbols never seen are read as
 * the unknown symbol, whose embedding training never updated; sources longer than any training
 * source are decoded all the same, with an output limit that grows with the source).
 */
import type { Seq2seqDecoding } from '../../experiments/config/seq2seq-config';
import { throwIfAborted } from '../../errors';
import type { LongOperationOptions } from '../../jobs/progress';
import type { RnnModel } from '../../rnn/rnn-model';
import { beamSearch, greedyDecode } from './beam-search';
import type { DecodedOutput } from './beam-search';
import type { DecodeProfile, DecoderStepEngine } from './decoder-rows';
import { SymbolCoder, TARGET_EOS_ID } from './symbol-tables';
import type { Seq2seqLabels } from './symbol-tables';

/** Extra output symbols allowed beyond the limit below. */
const OUTPUT_SLACK = 5;
/** Sources decoded between two progress reports. */
const CHUNK = 256;

/**
 * The most output symbols for a source: the longest training target, or twice the source's
 * length when that is more, plus OUTPUT_SLACK. Without attention nothing else bounds an output.
 */
export function outputLimit(
  labels: Pick<Seq2seqLabels, 'maxTargetLength'>,
  sourceLength: number,
): number {
  return Math.max(labels.maxTargetLength, 2 * sourceLength) + OUTPUT_SLACK;
}

export interface DecodedHypothesis {
  symbols: string[];
  logProb: number;
  score: number;
  finished: boolean;
  /** With `withAlignment` and attention: weights over the source symbols, one row per output step. */
  alignment?: number[][];
}

export interface DecodedSource {
  /** Best first; one for greedy decoding. */
  nBest: DecodedHypothesis[];
  /** Source symbols training never saw (read as the unknown symbol). */
  unknownSymbols: string[];
  /** Longer than every training source. */
  longerThanTraining: boolean;
}

function hypothesisOf(coder: SymbolCoder, output: DecodedOutput): DecodedHypothesis {
  return {
    symbols: coder.decodeTarget(output.ids),
    logProb: output.logProb,
    score: output.score,
    finished: output.finished,
    ...(output.alignment ? { alignment: output.alignment } : {}),
  };
}

/** Decodes every source (beam 1: greedy), in chunks between which it reports and can be cancelled. */
export function decodeSources(
  model: RnnModel,
  labels: Seq2seqLabels,
  sources: readonly (readonly string[])[],
  decoding: Seq2seqDecoding,
  options: LongOperationOptions & {
    withAlignment?: boolean;
    /** Benchmarks and tests: how decoder steps run, and where the time goes. */
    engine?: DecoderStepEngine;
    profile?: DecodeProfile;
  } = {},
): DecodedSource[] {
  const coder = new SymbolCoder(labels);
  const out: DecodedSource[] = new Array<DecodedSource>(sources.length);
  // Decoded shortest first, so a batch's sources have similar lengths: the encoder runs every
  // source to its batch's longest (padding), and a batch's decoding to its longest output.
  const lengthOf = (i: number): number => (sources[i] as readonly string[]).length;
  const order = sources.map((_, i) => i).sort((a, b) => lengthOf(a) - lengthOf(b));
  for (let start = 0; start < sources.length; start += CHUNK) {
    throwIfAborted(options.signal);
    options.onProgress?.({
      fraction: start / sources.length,
      message: `Decoding ${start} of ${sources.length}`,
    });
    const indices = order.slice(start, start + CHUNK);
    const chunk = indices.map((i) => sources[i] as readonly string[]);
    const ids = chunk.map((source) => coder.encodeSource(source));
    const common = {
      lengthNormalization: decoding.lengthNormalization,
      eosId: TARGET_EOS_ID,
      maxLengths: chunk.map((source) => outputLimit(labels, source.length)),
      withAlignment: options.withAlignment ?? false,
      ...(options.engine ? { engine: options.engine } : {}),
      ...(options.profile ? { profile: options.profile } : {}),
    };
    const nBests =
      decoding.beam === 1
        ? greedyDecode(model, ids, common).map((output) => [output])
        : beamSearch(model, ids, { ...common, beam: decoding.beam });
    chunk.forEach((source, k) => {
      out[indices[k] as number] = {
        nBest: (nBests[k] ?? []).map((output) => hypothesisOf(coder, output)),
        unknownSymbols: coder.unknownSourceSymbols(source),
        longerThanTraining: source.length > labels.maxSourceLength,
      };
    });
  }
  return out;
}
