/**
 * A typed text as a language model reads it, for looking inside: the units and ids of
 * `sentenceReading` (the same cut, unknown units and sentence start as reading, scoring and
 * generation), and the text's own next units as the reference. A forward LM reads
 * `</s> u1 .. un` and is scored on `u1 .. un </s>`. A bidirectional LM reads the sentence between
 * its two ends, `</s> u1 .. un </s>`, forwards in its first row and backwards (the same units
 * reversed, each keeping its characters) in its second, so that after flipping the backward
 * direction to the text's time both directions have read unit t at step t; the forward LM's
 * reference at t is unit t + 1, the backward LM's unit t - 1 (none past the ends).
 */
import { NO_REFERENCE } from '../../api/inside';
import { UnfoldError } from '../errors';
import type { CharacterVocabulary } from '../text/characters';
import { reversedStream } from '../text/lm/bilm-steps';
import { STREAM_CHARS_PER_UNIT, streamChars } from '../text/lm/bilm-streams';
import { sentenceReading } from '../text/lm/language-model';
import type { LmUnitRule } from '../text/lm/lm-text';
import { EOS_TOKEN, type LmVocabulary } from '../text/lm/lm-vocabulary';
import { UNK_ID } from '../text/vocabulary';
import type { PreparedInput } from './inside-model';

/** What a language-model experiment needs to read text: its vocabulary, unit rule and (biLM) characters. */
export interface LmReader {
  vocabulary: LmVocabulary;
  rule: LmUnitRule;
  /** A bidirectional LM's character set; null for a forward LM. */
  characters: CharacterVocabulary | null;
}

/** A typed text prepared for a language model (forward or bidirectional). */
export function preparedLm(reader: LmReader, text: string): PreparedInput {
  const { vocabulary, rule, characters } = reader;
  const { units, ids } = sentenceReading(text, rule, vocabulary);
  if (units.length === 0)
    throw new UnfoldError(
      'INSIDE_EMPTY_TEXT',
      `The text has no ${rule.level === 'char' ? 'characters' : 'words'}.`,
    );
  // The units as the model reads them: an unknown one is `<unk>` (as generation names them).
  const read = units.map((unit, i) => (ids[i + 1] === UNK_ID ? vocabulary.unit(UNK_ID) : unit));
  const label = (id: number): string => vocabulary.unit(id);
  if (!characters) {
    const next = [...ids.slice(1), vocabulary.eosId];
    return {
      example: { inputs: Int32Array.from(ids), length: ids.length, target: 0 },
      axis: { kind: 'tokens', tokens: [EOS_TOKEN, ...read] },
      features: null,
      reference: next.map(label),
      sources: [],
    };
  }
  const stream = {
    ids: Int32Array.from([...ids, vocabulary.eosId]),
    chars: streamChars([{ units }], characters),
  };
  const back = reversedStream(stream);
  const steps = stream.ids.length;
  return {
    example: {
      inputs: stream.ids,
      length: steps,
      target: 0,
      chars: stream.chars,
      charsPerToken: STREAM_CHARS_PER_UNIT,
      backward: {
        inputs: back.ids,
        // Placeholders, as the forward row's: the trace gives the loss its targets.
        target: new Int32Array(steps),
        chars: back.chars,
        charsPerToken: STREAM_CHARS_PER_UNIT,
      },
    },
    axis: { kind: 'tokens', tokens: [EOS_TOKEN, ...read, EOS_TOKEN] },
    features: null,
    reference: Array.from(stream.ids, (_, t) =>
      t + 1 < steps ? label(stream.ids[t + 1] as number) : NO_REFERENCE,
    ),
    backwardReference: Array.from(stream.ids, (_, t) =>
      t > 0 ? label(stream.ids[t - 1] as number) : NO_REFERENCE,
    ),
    sources: [],
  };
}
