/**
 * Contextual embeddings of a typed text or a file (`unfold embed`): tokenised the UD way with
 * offsets, cut into sentences as the tagger cuts them, each sentence read by the biLM on its
 * own; per token every layer, one layer, or their mix.
 */
import { basename } from 'node:path';
import { encodeNpyArray } from '../audio/npy';
import { UnfoldError } from '../errors';
import { writeFileAtomically, writeJsonAtomically } from '../fs/atomic-write';
import type { BidirectionalLm } from './contextual-embeddings';
import type { ContextualLayers } from './lm/bilm-steps';
import { sentenceSpans } from './pos/tagger';
import type { SentenceOptions } from './pos/tagger';
import { tokenizeText } from './tokenize';

/**
 * Which vectors a token gets: `all` its layers (0 = the token representation twice, 1..L the
 * recurrent layers' forward ++ backward outputs), `mix` their plain average (the scalar mix with
 * equal weights and a scale of 1, what a task starts from before it learns its own), or one
 * layer by number.
 */
export const EMBED_LAYER_CHOICES = ['all', 'mix'] as const;
export type EmbedLayerChoice = (typeof EMBED_LAYER_CHOICES)[number] | number;

export function parseEmbedLayer(value: string | undefined, layers: number): EmbedLayerChoice {
  if (value === undefined) return 'all';
  if ((EMBED_LAYER_CHOICES as readonly string[]).includes(value)) return value as EmbedLayerChoice;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n >= layers || value.trim() === '')
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `--layer takes ${EMBED_LAYER_CHOICES.join(', ')} or a layer number from 0 to ${layers - 1} (this biLM has ${layers} layers); got "${value}".`,
    );
  return n;
}

export interface EmbeddedToken {
  text: string;
  /** UTF-16 offsets into the text. */
  start: number;
  end: number;
  /** One vector per chosen layer (one for `mix` or a layer number). */
  vectors: number[][];
}

export interface EmbeddedText {
  experiment: string;
  /** The layers the vectors are: their numbers, or "mix". */
  layers: Array<number | 'mix'>;
  size: number;
  tokens: EmbeddedToken[];
}

/** The vectors of token `i` of a sentence's layers for a choice. */
export function tokenVectors(
  layers: ContextualLayers,
  i: number,
  choice: EmbedLayerChoice,
): number[][] {
  const { size, values } = layers;
  const layer = (l: number): Float32Array =>
    values.subarray((i * layers.layers + l) * size, (i * layers.layers + l + 1) * size);
  if (choice === 'all')
    return Array.from({ length: layers.layers }, (_, l) => Array.from(layer(l)));
  if (choice === 'mix') {
    const mixed = new Float64Array(size);
    for (let l = 0; l < layers.layers; l++)
      layer(l).forEach((v, d) => (mixed[d] = (mixed[d] as number) + v));
    return [Array.from(mixed, (v) => v / layers.layers)];
  }
  return [Array.from(layer(choice))];
}

export function embedText(
  lm: BidirectionalLm,
  name: string,
  text: string,
  choice: EmbedLayerChoice,
  sentences: SentenceOptions = {},
): EmbeddedText {
  const tokens = tokenizeText(text);
  const spans = sentenceSpans(tokens, sentences);
  const layers = lm.layersOf(spans.map(([a, b]) => tokens.slice(a, b).map((t) => t.text)));
  const out: EmbeddedToken[] = [];
  spans.forEach(([a, b], s) => {
    const sentence = layers[s] as ContextualLayers;
    for (let i = 0; i < b - a; i++) {
      const token = tokens[a + i] as { text: string; start: number; end: number };
      out.push({
        text: token.text,
        start: token.start,
        end: token.end,
        vectors: tokenVectors(sentence, i, choice),
      });
    }
  });
  return {
    experiment: name,
    layers: choice === 'all' ? Array.from({ length: lm.layers }, (_, l) => l) : [choice],
    size: lm.size,
    tokens: out,
  };
}

/** The mix `--layer mix` gives: the plain average of a token's layers. */
function averageOf(vectors: readonly number[][], size: number): number[] {
  const mixed = new Array<number>(size).fill(0);
  for (const vector of vectors) vector.forEach((v, d) => (mixed[d] = (mixed[d] as number) + v));
  return mixed.map((v) => v / vectors.length);
}

/**
 * The vectors as one row-major [tokens, vectors, size] array: with every layer chosen, their mix
 * follows them as the last vector; otherwise the one chosen vector.
 */
export function embeddingArray(embedded: EmbeddedText): {
  shape: [number, number, number];
  layers: Array<number | 'mix'>;
  values: Float32Array;
} {
  const withMix = embedded.layers.length > 1;
  const layers: Array<number | 'mix'> = withMix ? [...embedded.layers, 'mix'] : embedded.layers;
  const shape: [number, number, number] = [embedded.tokens.length, layers.length, embedded.size];
  const values = new Float32Array(shape[0] * shape[1] * shape[2]);
  embedded.tokens.forEach((token, i) => {
    const vectors = withMix
      ? [...token.vectors, averageOf(token.vectors, embedded.size)]
      : token.vectors;
    vectors.forEach((vector, k) => values.set(vector, (i * layers.length + k) * embedded.size));
  });
  return { shape, layers, values };
}

/** Where `unfold embed --out F.npy` puts the tokens: beside it, `F.tokens.json`. */
export function embeddingSidecarPath(npyPath: string): string {
  return `${npyPath.replace(/\.npy$/i, '')}.tokens.json`;
}

/**
 * Writes the vectors as a float32 .npy [tokens, vectors, size] and, beside it, the tokens with
 * their offsets and what each vector is (embeddingSidecarPath), each atomically. Returns both paths.
 */
export async function writeEmbeddingFiles(
  embedded: EmbeddedText,
  npyPath: string,
): Promise<{ npy: string; tokens: string; shape: [number, number, number] }> {
  const array = embeddingArray(embedded);
  const tokens = embeddingSidecarPath(npyPath);
  await writeFileAtomically(npyPath, encodeNpyArray(array.values, array.shape));
  await writeJsonAtomically(tokens, {
    format: 'unfold-embeddings',
    version: 1,
    experiment: embedded.experiment,
    npy: basename(npyPath),
    shape: array.shape,
    // What a token's vectors are, in order: layer numbers, then "mix".
    layers: array.layers,
    tokens: embedded.tokens.map(({ text, start, end }) => ({ text, start, end })),
  });
  return { npy: npyPath, tokens, shape: array.shape };
}
