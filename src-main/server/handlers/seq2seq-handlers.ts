/**
 * The Text view's sequence-to-sequence API: a typed text decoded by a trained seq2seq experiment
 * (the translator `unfold translate` uses), its attention matrices as typed arrays.
 */
import type { seq2seqRequests } from '../../api/channels/seq2seq-channels';
import type { AttentionMatrix, Seq2seqTranslation } from '../../api/seq2seq';
import { loadSeq2seqTranslator } from '../../domain/text/seq2seq/translator';
import type { Seq2seqTranslator, Translation } from '../../domain/text/seq2seq/translator';
import { ModelCache } from '../recognizer-cache';
import { namedExperimentDir } from './experiment-handlers';
import type { AreaHandlers, HandlerContext } from './handler-context';

const translatorCaches = new WeakMap<HandlerContext, ModelCache<Seq2seqTranslator>>();

/** The app's loaded translators by experiment folder (reloaded when retrained). */
function translatorCacheOf(context: HandlerContext): ModelCache<Seq2seqTranslator> {
  let cache = translatorCaches.get(context);
  if (!cache) {
    cache = new ModelCache({ load: loadSeq2seqTranslator });
    translatorCaches.set(context, cache);
  }
  return cache;
}

/** Rows of weights (one per output step) as one row-major matrix over `cols` source units. */
function attentionMatrix(rows: readonly (readonly number[])[], cols: number): AttentionMatrix {
  const data = new Float32Array(rows.length * cols);
  rows.forEach((row, r) => data.set(row.slice(0, cols), r * cols));
  return { data, rows: rows.length, cols };
}

function translationResult(
  experiment: string,
  translator: Pick<Seq2seqTranslator, 'defaultBeam' | 'attention'>,
  translation: Translation,
): Seq2seqTranslation {
  const cols = translation.sourceSymbols.length;
  return {
    experiment,
    text: translation.source,
    sourceUnits: translation.sourceSymbols,
    beam: translation.beam,
    defaultBeam: translator.defaultBeam,
    attention: translator.attention,
    nBest: translation.nBest.map((output) => ({
      units: output.symbols,
      text: output.text,
      logProb: output.logProb,
      score: output.score,
      finished: output.finished,
      attention: output.alignment ? attentionMatrix(output.alignment, cols) : null,
    })),
    unknownUnits: translation.unknownSymbols,
    longerThanTraining: translation.longerThanTraining,
  };
}

export function createSeq2seqHandlers(
  context: HandlerContext,
): AreaHandlers<keyof typeof seq2seqRequests> {
  return {
    'seq2seq:translate': async ({ experiment, text, beam }) => {
      const dir = await namedExperimentDir(context.dataDir, experiment);
      const translator = await translatorCacheOf(context).get(dir);
      const translation = translator.translate(text, beam === undefined ? {} : { beam });
      return translationResult(experiment, translator, translation);
    },
  };
}
