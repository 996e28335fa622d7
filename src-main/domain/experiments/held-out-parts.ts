/**
 * Where an item falls in a held-out division of a corpus (config HeldOutSchema): its fold and,
 * outside the test fold, whether it is a dev item. Both come from a hash of the item's key and
 * the seed, item by item: adding or removing items never moves the others, which an assignment
 * by rank (sorting by hash, then cutting into equal folds) would do at every fold boundary. The
 * price is that part sizes are binomial rather than exact: a 10% part of MR's 9,596 sentences
 * holds 960 ± 29 of them (one standard deviation); the sizes are reported with every run.
 */
import { createHash } from 'node:crypto';
import type { ConlluSentence } from '../corpus/formats/conllu';
import type { HeldOut } from './config/common-config';

export type HeldOutRole = 'train' | 'dev' | 'test';

/**
 * Two independent numbers in [0, 1) for an item: the first places it among the folds, the
 * second decides dev or train. SHA-256 (built into Node) mixes well enough that neighbouring
 * keys and seeds give unrelated numbers; 48 bits of each half are exact in a double.
 */
function positionsOf(key: string, seed: number): [number, number] {
  const digest = createHash('sha256').update(`${seed}\u0000${key}`).digest();
  return [digest.readUIntBE(0, 6) / 2 ** 48, digest.readUIntBE(6, 6) / 2 ** 48];
}

/** The fold (1-based) an item of this key falls in. */
export function foldOf(key: string, folds: number, seed: number): number {
  return Math.floor(positionsOf(key, seed)[0] * folds) + 1;
}

/** The role an item plays in a held-out division; without a dev role every non-test item trains. */
export function heldOutRoleOf(key: string, heldOut: HeldOut, withDev: boolean): HeldOutRole {
  const [fold, dev] = positionsOf(key, heldOut.seed);
  if (Math.floor(fold * heldOut.folds) + 1 === heldOut.testFold) return 'test';
  return withDev && dev < heldOut.devShare ? 'dev' : 'train';
}

/**
 * What identifies a text item: its content. Lines of a TSV or plain-text file have no ids but
 * their line numbers, which move when a line is added above; the text does not. And identical
 * sentences always share a part, so none is both a training and a test sentence.
 */
export function labelledTextKey(item: { text: string }): string {
  return item.text;
}

/** A CoNLL-U sentence's key: its tokens' forms (multiword tokens included), space-separated. */
export function conlluSentenceKey(sentence: ConlluSentence): string {
  return sentence.tokens.map((token) => token.form).join(' ');
}

/**
 * A sequence pair's key: its source alone, so that every target of a source (the several
 * pronunciations of a word) falls in the same part.
 */
export function pairKey(pair: { source: string }): string {
  return pair.source;
}
