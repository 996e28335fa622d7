import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { featureDims } from '../../src-main/domain/audio/feature-config';
import { writeJsonAtomically } from '../../src-main/domain/fs/atomic-write';
import { saveModel } from '../../src-main/domain/rnn/model-io';
import { RnnModel } from '../../src-main/domain/rnn/rnn-model';
import { parseConfigWith } from '../../src-main/domain/experiments/config/experiment-config';
import { SpeechConfigSchema } from '../../src-main/domain/experiments/config/speech-config';
import { presetConfig } from '../../src-main/domain/experiments/presets';
import type { SpeechLabels } from '../../src-main/domain/speech/speech-data';
import { featureConfigOf, speechModelConfig } from '../../src-main/domain/speech/speech-data';

export interface RandomExperimentOptions {
  /** Drops every layer's backward direction (a phone model that can run live). */
  unidirectional?: boolean;
  /** Makes every layer run both ways (concatenated): a phone model that cannot stream. */
  bidirectional?: boolean;
  /** The class labels; `c0`, `c1`, ... when absent. */
  labels?: string[];
}

/**
 * Writes an experiment folder named after `dir` (config, labels, model) with a randomly initialised model of a
 * preset's size ("digits, small LSTM" for words, "phones, 2x256 LSTM" for phones), for
 * benchmarks: the cost of running a model does not depend on its weights, so no training is
 * needed. Features are left unnormalised (mean 0, std 1).
 */
export async function writeRandomExperiment(
  dir: string,
  task: 'words' | 'phones',
  classes: number,
  options: RandomExperimentOptions = {},
): Promise<void> {
  const preset = parseConfigWith(
    SpeechConfigSchema,
    presetConfig(
      task === 'words' ? 'small-words-lstm' : 'phones-2x256-lstm',
      'none',
      basename(dir),
    ),
  );
  const config = options.unidirectional
    ? parseConfigWith(SpeechConfigSchema, {
        ...preset,
        model: {
          ...preset.model,
          layers: preset.model.layers.map(({ bidirectional: _b, ...layer }) => layer),
        },
      })
    : options.bidirectional
      ? parseConfigWith(SpeechConfigSchema, {
          ...preset,
          model: {
            ...preset.model,
            layers: preset.model.layers.map((layer) => ({
              ...layer,
              bidirectional: 'concat' as const,
            })),
          },
          training: { ...preset.training, bptt: { kind: 'full' as const } },
        })
      : preset;
  const dims = featureDims(featureConfigOf(config));
  const model = new RnnModel(
    speechModelConfig(config, task === 'words' ? 'encoder' : 'transducer', dims, classes),
  );
  await mkdir(join(dir, 'model'), { recursive: true });
  await saveModel(model, join(dir, 'model', 'model.json'));
  model.dispose();
  await writeJsonAtomically(join(dir, 'config.json'), config);
  const labels: SpeechLabels = {
    task,
    labels: options.labels ?? Array.from({ length: classes }, (_, i) => `c${i}`),
    inputDims: dims,
    featureMean: new Array<number>(dims).fill(0),
    featureStd: new Array<number>(dims).fill(1),
  };
  await writeJsonAtomically(join(dir, 'labels.json'), labels);
}
