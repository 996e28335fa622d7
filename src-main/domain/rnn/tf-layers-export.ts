import * as tf from '@tensorflow/tfjs';
import { UnfoldError } from '../errors';
import type { LayerConfig } from './model-config';
import type { RnnModel } from './rnn-model';

/**
 * Rebuilds a model as a standard tf.layers model with the same weights, for tools that only read
 * the TF.js layers format (tf.loadLayersModel, the TF.js converter to Keras). Possible because
 * our LSTM/GRU/Elman weights use tf.layers' layout and gate order (checked by the equivalence
 * tests). Not exportable: peephole and LSTMP cells, residual connections, mean/max pooling,
 * encoder-decoders and token inputs with chars or cases, which a sequential tf.layers model has
 * no layer for. Masks are not carried over: the exported
 * model expects unpadded (or right-padded and ignored) input.
 */
export function toTfLayersModel(model: RnnModel): tf.Sequential {
  const config = model.config;
  const problem = unsupportedReason(model);
  if (problem)
    throw new UnfoldError(
      'EXPORT_UNSUPPORTED',
      `This model cannot be exported to the tf.layers format: ${problem}.`,
    );
  const seq = tf.sequential({ name: config.name });
  if (config.input.kind === 'tokens') {
    const embedding = tf.layers.embedding({
      inputDim: config.input.vocabSize,
      outputDim: config.input.embeddingSize,
      inputShape: [null] as unknown as number[],
    });
    seq.add(embedding);
    embedding.setWeights([model.param('embedding/embeddings')]);
  }
  config.layers.forEach((layer, l) => {
    const returnSequences = config.pattern !== 'encoder' || l < config.layers.length - 1;
    const inputShape =
      l === 0 && config.input.kind === 'features'
        ? { inputShape: [null, config.input.size] as unknown as number[] }
        : {};
    const make = (): tf.RNN => recurrentLayer(layer, returnSequences);
    const built: tf.layers.Layer = layer.bidirectional
      ? tf.layers.bidirectional({
          layer: make(),
          mergeMode: layer.bidirectional === 'sum' ? 'sum' : 'concat',
          ...inputShape,
        })
      : recurrentLayer(layer, returnSequences, inputShape);
    seq.add(built);
    const weights = (layer.bidirectional ? ['fw', 'bw'] : ['fw']).flatMap((dir) =>
      ['kernel', 'recurrent_kernel', 'bias'].map((name) =>
        model.param(`encoder/layer${l}/${dir}/${name}`),
      ),
    );
    built.setWeights(weights);
  });
  const output = tf.layers.dense({
    units: config.output.size,
    activation: config.output.activation,
  });
  seq.add(output);
  tf.tidy(() => output.setWeights([model.outputKernel(), model.param('output/bias')]));
  return seq;
}

function recurrentLayer(
  layer: LayerConfig,
  returnSequences: boolean,
  extra: { inputShape?: number[] } = {},
): tf.RNN {
  const common = { units: layer.units, returnSequences, ...extra };
  switch (layer.cell) {
    case 'lstm':
      return tf.layers.lstm({ ...common, recurrentActivation: 'sigmoid' }) as tf.RNN;
    case 'gru':
      return tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' }) as tf.RNN;
    default:
      return tf.layers.simpleRNN({ ...common, activation: layer.activation ?? 'tanh' }) as tf.RNN;
  }
}

/** Why a model cannot be exported, or null when it can. */
export function unsupportedReason(model: RnnModel): string | null {
  const config = model.config;
  if (config.pattern === 'encoder-decoder') return 'encoder-decoders have two stacks';
  if (config.convolution)
    return 'a convolution encoder (Kim CNN) is not exported: only recurrent stacks are';
  if (config.input.kind === 'tokens' && (config.input.chars || config.input.cases))
    return 'a character CNN or case embeddings beside the word embeddings need a second input, which a tf.layers sequential model has not';
  if (config.residual)
    return 'residual connections have no tf.layers equivalent in a sequential model';
  if (config.pattern === 'encoder' && config.pooling !== 'last')
    return `"${config.pooling}" pooling is not a tf.layers RNN option`;
  const custom = config.layers.find((l) => l.cell === 'peephole' || l.cell === 'lstmp');
  if (custom) return `tf.layers has no ${custom.cell} cell`;
  return null;
}
