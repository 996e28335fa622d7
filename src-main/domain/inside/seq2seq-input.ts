/**
 * A typed source (a word for grapheme-to-phoneme) made ready for looking inside an
 * encoder-decoder: its symbols at the corpus's level, their ids, and the model's own greedy
 * answer as the output its decoder reads (teacher forcing on that answer makes the decoder's
 * steps exactly those of greedy decoding, so every step's argmax is the answer's symbol and the
 * loss is the answer's, as for the other models).
 */
import { symbolsOf } from '../corpus/formats/pairs';
import { UnfoldError } from '../errors';
import type { RnnModel } from '../rnn/rnn-model';
import { greedyDecode } from '../text/seq2seq/beam-search';
import { SymbolCoder, TARGET_EOS_ID, type Seq2seqLabels } from '../text/seq2seq/symbol-tables';
import { outputLimit } from '../text/seq2seq/translate-sources';
import type { PreparedInput } from './inside-model';

/**
 * The model's greedy output for one source, as the ids its decoder writes step by step: the
 * output symbols, then the end symbol when it ended before `maxLength` symbols.
 */
export function greedyAnswer(model: RnnModel, source: Int32Array, maxLength: number): Int32Array {
  const [decoded] = greedyDecode(model, [source], {
    lengthNormalization: 0,
    eosId: TARGET_EOS_ID,
    maxLengths: [maxLength],
  });
  if (!decoded) throw new Error('greedyAnswer: the decoder gave no output');
  return Int32Array.from(decoded.finished ? [...decoded.ids, TARGET_EOS_ID] : decoded.ids);
}

/** A source text for the encoder-decoder, with its greedy answer as the example's target. */
export function preparedSeq2seq(
  model: RnnModel,
  labels: Pick<Seq2seqLabels, 'labels' | 'sourceSymbols' | 'levels' | 'maxTargetLength'>,
  text: string,
): PreparedInput {
  const symbols = symbolsOf(text.trim(), labels.levels.source);
  if (symbols.length === 0)
    throw new UnfoldError('INSIDE_EMPTY_TEXT', 'The text has no symbols to read.');
  const inputs = new SymbolCoder(labels).encodeSource(symbols);
  const answer = greedyAnswer(model, inputs, outputLimit(labels, symbols.length));
  if (answer.length === 0)
    throw new UnfoldError(
      'INSIDE_EMPTY_ANSWER',
      'The model wrote no symbol for this input before its length limit: there is no decoder step to look at.',
    );
  return {
    example: { inputs, length: symbols.length, target: answer },
    axis: { kind: 'tokens', tokens: symbols },
    features: null,
    sources: [],
  };
}
