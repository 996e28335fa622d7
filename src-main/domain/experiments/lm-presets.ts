/** The language-model presets (presets.ts lists them with every other task's). */
import type { z } from 'zod';
import type { LmConfigSchema } from './config/lm-config';

type LmConfigInput = z.input<typeof LmConfigSchema>;

/**
 * What every LM preset shares: the corpus's train/dev/test splits, truncated BPTT with the state
 * carried, the rate halved after an epoch whose dev perplexity did not improve, gradients
 * clipped to global norm 5 unless the preset says otherwise, early stopping after 3 such
 * epochs, and the Kneser-Ney 5-gram beside it.
 */
function lmPreset(
  corpus: string,
  name: string,
  own: Pick<LmConfigInput, 'level' | 'words' | 'model'> & {
    training: { epochs: number; batchSize: number; bpttWindow: number; clipNorm?: number } & Pick<
      NonNullable<LmConfigInput['training']>,
      'optimizer'
    >;
  },
): LmConfigInput {
  const { bpttWindow, clipNorm = 5, ...training } = own.training;
  return {
    name,
    task: 'lm',
    corpus,
    data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
    level: own.level,
    words: own.words,
    model: own.model,
    training: {
      ...training,
      schedule: { kind: 'plateau', factor: 0.5, patience: 1 },
      bptt: { kind: 'truncated', window: bpttWindow },
      clipNorm,
      earlyStoppingPatience: 3,
    },
    baseline: { order: 5 },
    seed: 1,
  };
}

/**
 * "word LM, 2x200 LSTM": Zaremba et al. (2014)'s small PTB model: 200-dim words, two LSTM
 * layers of 200, no dropout, plain SGD, 20 streams, truncated BPTT over 35 steps with the state
 * carried; the rate halves after every epoch whose dev perplexity did not improve (Mikolov's
 * schedule rather than Zaremba's fixed one). Zaremba's rate 1 and clipping at norm 5 apply to a
 * loss summed over the 35 steps; Unfold's loss is the mean per unit, whose gradient is 35 times
 * smaller, so the same steps are rate 35 and norm 5/35. The preset takes rate 20 with norm 0.25
 * (PyTorch's word-language-model example, also on a mean loss): a clipped step is as long as
 * Zaremba's (20 x 0.25 = 5). Rate 1 with norm 5 on the mean (this preset until 7 Dec 2026) takes
 * steps 35 times shorter: on PTB it was still near the unigram's perplexity after hundreds of
 * windows, where rate 20 reached a dev perplexity of 242.6 after one epoch (tests/eval/README.md).
 * Units seen once in training are
 * `<unk>`, so the unknown word is trained too (a corpus with its own `<unk>`, like the PTB LM
 * data, can set minCount 1). The Kneser-Ney 5-gram is scored beside it.
 */
export function lmWordLstm(corpus: string, name: string): LmConfigInput {
  return lmPreset(corpus, name, {
    level: 'word',
    words: { tokenizer: 'text', minCount: 2, embeddingSize: 200 },
    model: {
      layers: [
        { cell: 'lstm', units: 200 },
        { cell: 'lstm', units: 200 },
      ],
      dropout: 0,
    },
    training: {
      epochs: 13,
      batchSize: 20,
      optimizer: { kind: 'sgd', learningRate: 20 },
      bpttWindow: 35,
      clipNorm: 0.25,
    },
  });
}

/**
 * "character LM, 1x256 LSTM": characters (code points) embedded in 32 dimensions, one LSTM of
 * 256, Adam 0.002, gradients clipped to 5, 32 streams, BPTT over 100 characters; reported in
 * bits per character beside a Kneser-Ney 5-gram of characters.
 */
export function lmCharLstm(corpus: string, name: string): LmConfigInput {
  return lmPreset(corpus, name, {
    level: 'char',
    words: { minCount: 2, embeddingSize: 32 },
    model: { layers: [{ cell: 'lstm', units: 256 }], dropout: 0 },
    training: {
      epochs: 10,
      batchSize: 32,
      optimizer: { kind: 'adam', learningRate: 0.002 },
      bpttWindow: 100,
    },
  });
}

/**
 * "word biLM, 2x128 LSTM": an ELMo-style bidirectional LM (Peters et al. 2018) sized for a
 * 2-core machine, whose layers taggers and classifiers take as contextual embeddings. Each word
 * is a 78-dim vector ++ the tagger preset's character CNN (30-dim characters, 50 filters of
 * width 3), so the token representation is 128 wide, and so is each of the two residual LSTM
 * layers per direction (the config requires one size throughout, so that the layers mix);
 * dropout 0.1, Adam 0.002, gradients clipped to 5, 20 streams per direction, BPTT over 35
 * words. Perplexity is reported per direction beside a Kneser-Ney 5-gram. One epoch over
 * EWT's first 2,000 training sentences (~40k words) and its evaluation took 25 s on this 2-core
 * machine (`unfold train --task lm --preset lm-word-bilm --epochs 1`, load ~4-6).
 */
export function lmWordBilm(corpus: string, name: string): LmConfigInput {
  return lmPreset(corpus, name, {
    level: 'word',
    words: {
      tokenizer: 'text',
      minCount: 2,
      embeddingSize: 78,
      chars: { embeddingSize: 30, filters: 50, width: 3 },
    },
    model: {
      direction: 'bidirectional',
      layers: [
        { cell: 'lstm', units: 128 },
        { cell: 'lstm', units: 128 },
      ],
      residual: true,
      dropout: 0.1,
    },
    training: {
      epochs: 10,
      batchSize: 20,
      optimizer: { kind: 'adam', learningRate: 0.002 },
      bpttWindow: 35,
    },
  });
}
