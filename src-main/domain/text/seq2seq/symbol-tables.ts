/**
 * The symbols a sequence-to-sequence model reads and writes, kept in labels.json. Source ids:
 * 0 padding, 1 a symbol training never saw, then the training symbols in code-point order.
 * Target ids (the output classes): 0 the begin symbol the decoder starts from (the engine's
 * BOS_ID), 1 the end symbol, then the training symbols in code-point order.
 */
import type { PairLevels } from '../../corpus/formats/pairs';
import { compareCodePoints } from '../../corpus/formats/utf8';
import type { ExperimentLabels } from '../../experiments/experiment-records';
import { BOS_ID } from '../../rnn/batching';
import type { SymbolPair } from './sequence-pairs';

export const SOURCE_PADDING_ID = 0;
export const SOURCE_UNKNOWN_ID = 1;
export const TARGET_BOS_ID = BOS_ID;
export const TARGET_EOS_ID = 1;
export const TARGET_BOS = '<s>';
export const TARGET_EOS = '</s>';

/** The symbol tables and lengths of the training pairs. */
export interface SymbolTables {
  /** Target id -> symbol (the output classes), `<s>` and `</s>` first. */
  labels: string[];
  /** Source id -> symbol; ids 0 and 1 are padding and unknown (empty strings). */
  sourceSymbols: string[];
  levels: PairLevels;
  /** Longest source and target of the training pairs, in symbols. */
  maxSourceLength: number;
  maxTargetLength: number;
}

/** labels.json of a seq2seq experiment. */
export interface Seq2seqLabels extends ExperimentLabels, SymbolTables {
  task: 'seq2seq';
}

function sortedSymbols(sequences: Iterable<readonly string[]>): string[] {
  const set = new Set<string>();
  for (const sequence of sequences) for (const symbol of sequence) set.add(symbol);
  return [...set].sort(compareCodePoints);
}

/** The tables of the training pairs. */
export function symbolTablesOf(pairs: readonly SymbolPair[], levels: PairLevels): SymbolTables {
  return {
    labels: [TARGET_BOS, TARGET_EOS, ...sortedSymbols(pairs.map((p) => p.target))],
    sourceSymbols: ['', '', ...sortedSymbols(pairs.map((p) => p.source))],
    levels,
    maxSourceLength: Math.max(0, ...pairs.map((p) => p.source.length)),
    maxTargetLength: Math.max(0, ...pairs.map((p) => p.target.length)),
  };
}

/** Looks symbols up in both tables. */
export class SymbolCoder {
  private readonly sourceIds: Map<string, number>;
  private readonly targetIds: Map<string, number>;

  constructor(private readonly tables: Pick<Seq2seqLabels, 'labels' | 'sourceSymbols'>) {
    this.sourceIds = new Map(tables.sourceSymbols.map((s, i) => [s, i] as const).slice(2));
    this.targetIds = new Map(tables.labels.map((s, i) => [s, i] as const).slice(2));
  }

  /** Source ids; a symbol training never saw becomes SOURCE_UNKNOWN_ID. */
  encodeSource(symbols: readonly string[]): Int32Array {
    return Int32Array.from(symbols, (s) => this.sourceIds.get(s) ?? SOURCE_UNKNOWN_ID);
  }

  /** The source symbols training never saw, each once, in order of appearance. */
  unknownSourceSymbols(symbols: readonly string[]): string[] {
    return [...new Set(symbols.filter((s) => !this.sourceIds.has(s)))];
  }

  /** Target ids followed by the end id; null when a symbol is not in the table. */
  encodeTarget(symbols: readonly string[]): Int32Array | null {
    const ids: number[] = [];
    for (const symbol of symbols) {
      const id = this.targetIds.get(symbol);
      if (id === undefined) return null;
      ids.push(id);
    }
    ids.push(TARGET_EOS_ID);
    return Int32Array.from(ids);
  }

  /** Symbols of output ids (the end id, if present, is not among them). */
  decodeTarget(ids: readonly number[]): string[] {
    return ids.filter((id) => id !== TARGET_EOS_ID).map((id) => this.tables.labels[id] ?? '?');
  }
}

/** A side's symbols as text: tokens joined by spaces, characters as they are. */
export function joinSymbols(symbols: readonly string[], level: PairLevels['source']): string {
  return symbols.join(level === 'tokens' ? ' ' : '');
}
