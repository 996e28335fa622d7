/**
 * A toy task written only against the experiments module's task interface: does a line of a
 * TSV text corpus contain the letter "z"? Characters become one-hot vectors, an encoder reads
 * them, and the task scores accuracy. It proves that a new task trains, evaluates, resumes and
 * is listed without any lifecycle code of its own.
 */
import { z } from 'zod';
import type { Corpus } from '../../src-main/domain/corpus/model';
import { commonConfigFields } from '../../src-main/domain/experiments/config/common-config';
import { parseConfigWith } from '../../src-main/domain/experiments/config/experiment-config';
import { RecurrentStackSchema } from '../../src-main/domain/experiments/config/model-choices';
import type { DataSelection } from '../../src-main/domain/experiments/config/common-config';
import type { ExperimentTask } from '../../src-main/domain/experiments/experiment-task';
import { predictProbabilities } from '../../src-main/domain/speech/inference';
import { confusionMatrix } from '../../src-main/domain/metrics/classification';
import { parseModelConfig } from '../../src-main/domain/rnn/model-config';
import type { SequenceExample } from '../../src-main/domain/rnn/batching';

export const ToyConfigSchema = z.object({
  ...commonConfigFields,
  task: z.literal('letter-z'),
  model: RecurrentStackSchema,
});
export type ToyConfig = z.infer<typeof ToyConfigSchema>;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz ';
const LABELS = ['no z', 'has z'];

function oneHot(text: string): Float32Array {
  const out = new Float32Array(text.length * ALPHABET.length);
  [...text.toLowerCase()].forEach((c, t) => {
    const k = ALPHABET.indexOf(c);
    out[t * ALPHABET.length + (k < 0 ? ALPHABET.length - 1 : k)] = 1;
  });
  return out;
}

function lines(corpus: Corpus, selection: DataSelection): { id: string; text: string }[] {
  if (corpus.data.kind !== 'text') throw new Error('letter-z needs a text corpus');
  const out: { id: string; text: string }[] = [];
  for (const split of selection.splits) {
    const data = corpus.data.splits.get(split);
    if (data?.format !== 'tsv') continue;
    data.items.forEach((item, i) => out.push({ id: `${split}-${i}`, text: item.text }));
  }
  return out;
}

function examples(items: { text: string }[]): SequenceExample[] {
  return items.map((item) => ({
    inputs: oneHot(item.text),
    length: item.text.length,
    target: item.text.toLowerCase().includes('z') ? 1 : 0,
  }));
}

export const letterZTask: ExperimentTask<ToyConfig> = {
  name: 'letter-z',
  storedFiles: ['alphabet.txt'],
  parseConfig: (value) => parseConfigWith(ToyConfigSchema, value),
  checkCorpus: (corpus) => {
    if (corpus.data.kind !== 'text') throw new Error('letter-z needs a text corpus');
  },
  prepareTraining: async (corpus, config) => ({
    labels: { task: 'letter-z', labels: LABELS },
    files: { 'alphabet.txt': new TextEncoder().encode(ALPHABET) },
    model: parseModelConfig({
      name: config.name,
      pattern: 'encoder',
      input: { kind: 'features', size: ALPHABET.length },
      layers: config.model.layers,
      pooling: config.model.pooling,
      output: { size: LABELS.length, activation: 'softmax' },
      seed: config.seed,
    }),
    train: examples(lines(corpus, config.data.train)),
    dev: null,
    summary: { trainLines: lines(corpus, config.data.train).length },
  }),
  async evaluate(input) {
    const alphabet = new TextDecoder().decode(
      (await input.readStoredFile('alphabet.txt')) ?? undefined,
    );
    if (alphabet !== ALPHABET) throw new Error('the stored alphabet did not come back');
    const items = lines(input.corpus, input.selection);
    const probabilities = predictProbabilities(
      input.model,
      items.map((item) => ({
        data: oneHot(item.text),
        frames: item.text.length,
        dims: ALPHABET.length,
      })),
      8,
    );
    const predictions = items.map((item, i) => {
      const p = probabilities[i] as Float32Array;
      const predicted = LABELS[(p[1] ?? 0) > (p[0] ?? 0) ? 1 : 0] as string;
      const reference = LABELS[item.text.toLowerCase().includes('z') ? 1 : 0] as string;
      return {
        id: item.id,
        text: item.text,
        reference,
        predicted,
        correct: predicted === reference,
      };
    });
    const accuracy = predictions.filter((p) => p.correct).length / predictions.length;
    return {
      result: { accuracy },
      headline: accuracy,
      summary: { accuracy, lines: predictions.length },
      details: {},
      skipped: [],
      predictions,
      confusion: confusionMatrix(
        predictions.map((p) => p.reference),
        predictions.map((p) => p.predicted),
        LABELS,
      ),
    };
  },
};
