import * as tf from '@tensorflow/tfjs';
import { createKernel, weightSpecs } from './cell-spec';
import type { CellSpec } from './cell-spec';
import { glorotUniform } from './initializers';
import {
  DEFAULT_EMBEDDING_INIT_RANGE,
  encoderOutputSize,
  inputSizeOf,
  layerOutputSize,
} from './model-config';
import type { ConvolutionConfig, LayerConfig, ModelConfig, TokenInputConfig } from './model-config';
import { createRng } from './random';
import type { Rng } from './random';

/** The scalar mix of contextual inputs: one weight per layer (softmax-normalised) and a scale. */
export const SCALAR_MIX_WEIGHTS = 'embedding/scalar_mix/weights';
export const SCALAR_MIX_GAMMA = 'embedding/scalar_mix/gamma';

export interface ParamSpec {
  /** Path-like name, e.g. `encoder/layer0/fw/recurrent_kernel`; also the name in the weights manifest. */
  name: string;
  shape: number[];
  init: (rng: Rng) => Float32Array;
}

export function cellSpecOf(layer: LayerConfig): CellSpec {
  return {
    cell: layer.cell,
    units: layer.units,
    projection: layer.projection,
    activation: layer.activation,
  };
}

export function directionsOf(layer: LayerConfig): Array<'fw' | 'bw'> {
  return layer.bidirectional ? ['fw', 'bw'] : ['fw'];
}

/**
 * A stack's weights. `directions` overrides each layer's own: a bidirectional LM's backward
 * stack is `['bw']` over unidirectional layers (each direction's layer l reads its own l - 1).
 */
function stackParams(
  prefix: string,
  layers: LayerConfig[],
  inputSize: number,
  directions?: Array<'fw' | 'bw'>,
): ParamSpec[] {
  const specs: ParamSpec[] = [];
  let size = inputSize;
  layers.forEach((layer, l) => {
    for (const dir of directions ?? directionsOf(layer)) {
      for (const w of weightSpecs(cellSpecOf(layer), size)) {
        specs.push({ name: `${prefix}/layer${l}/${dir}/${w.name}`, shape: w.shape, init: w.init });
      }
    }
    size = layerOutputSize(layer);
  });
  return specs;
}

function embeddingParam(
  name: string,
  vocab: number,
  dim: number,
  range = DEFAULT_EMBEDDING_INIT_RANGE,
): ParamSpec {
  return {
    name,
    shape: [vocab, dim],
    init: (rng) => Float32Array.from({ length: vocab * dim }, () => (2 * rng.next() - 1) * range),
  };
}

/**
 * Uniform(-sqrt(3/dim), sqrt(3/dim)) (Ma & Hovy 2016's char embeddings): unit-variance inputs,
 * so the char CNN's filters see a usable signal from the first step (the word embedding's
 * +-0.05 would start every filter near zero).
 */
function unitEmbeddingParam(name: string, vocab: number, dim: number): ParamSpec {
  const limit = Math.sqrt(3 / dim);
  return {
    name,
    shape: [vocab, dim],
    init: (rng) => Float32Array.from({ length: vocab * dim }, () => (2 * rng.next() - 1) * limit),
  };
}

/** Word embeddings, then the char CNN and the case embeddings when the config has them. */
function tokenInputParams(input: TokenInputConfig): ParamSpec[] {
  const specs = [
    embeddingParam(
      'embedding/embeddings',
      input.vocabSize,
      input.embeddingSize,
      input.embeddingInitRange,
    ),
  ];
  const chars = input.chars;
  if (chars) {
    const windowSize = chars.width * chars.embeddingSize;
    specs.push(
      unitEmbeddingParam('embedding/char_embeddings', chars.vocabSize, chars.embeddingSize),
      {
        name: 'embedding/char_conv/kernel',
        shape: [windowSize, chars.filters],
        init: (rng) => glorotUniform(windowSize, chars.filters, rng),
      },
      {
        name: 'embedding/char_conv/bias',
        shape: [chars.filters],
        init: () => new Float32Array(chars.filters),
      },
    );
  }
  if (input.cases)
    specs.push(
      unitEmbeddingParam('embedding/case_embeddings', input.cases.count, input.cases.embeddingSize),
    );
  if (input.contextual) {
    const layers = input.contextual.layers;
    // Equal weights and a scale of 1 to start: the plain average of the layers.
    specs.push(
      { name: SCALAR_MIX_WEIGHTS, shape: [layers], init: () => new Float32Array(layers) },
      { name: SCALAR_MIX_GAMMA, shape: [1], init: () => Float32Array.of(1) },
    );
  }
  return specs;
}

/** The bank of each width, `encoder/conv{i}/kernel` [width * inputSize, filters] and its bias. */
function convolutionParams(convolution: ConvolutionConfig, inputSize: number): ParamSpec[] {
  const { filters } = convolution;
  return convolution.widths.flatMap((width, i): ParamSpec[] => {
    const windowSize = width * inputSize;
    return [
      {
        name: `encoder/conv${i}/kernel`,
        shape: [windowSize, filters],
        init: (rng) => glorotUniform(windowSize, filters, rng),
      },
      { name: `encoder/conv${i}/bias`, shape: [filters], init: () => new Float32Array(filters) },
    ];
  });
}

/**
 * Additive attention over the top layer's outputs h_t (size n): score_t = v . tanh(h_t W + b),
 * with W [n, n], b [n] and v [n, 1] (an attention size equal to the layer's output, as Yang et
 * al. 2016).
 */
function attentionParams(size: number): ParamSpec[] {
  return [
    {
      name: 'pooling/attention/kernel',
      shape: [size, size],
      init: (rng) => glorotUniform(size, size, rng),
    },
    { name: 'pooling/attention/bias', shape: [size], init: () => new Float32Array(size) },
    {
      name: 'pooling/attention/vector',
      shape: [size, 1],
      init: (rng) => glorotUniform(size, 1, rng),
    },
  ];
}

/** A dense layer `${prefix}/kernel` [rows, cols] (Glorot) and `${prefix}/bias` [cols] (zeros). */
function denseParams(prefix: string, rows: number, cols: number): ParamSpec[] {
  return [
    {
      name: `${prefix}/kernel`,
      shape: [rows, cols],
      init: (rng) => glorotUniform(rows, cols, rng),
    },
    { name: `${prefix}/bias`, shape: [cols], init: () => new Float32Array(cols) },
  ];
}

/**
 * The bridge of every bidirectional encoder layer to its decoder layer's start state:
 * h0 = tanh([h_fw; h_bw] W + b) (`bridge/layer{l}/h/*`), and likewise c0 from [c_fw; c_bw] for
 * cells with a cell state (`bridge/layer{l}/c/*`). A unidirectional layer hands its state over
 * as it is.
 */
function bridgeParams(layers: LayerConfig[]): ParamSpec[] {
  return layers.flatMap((layer, l) => {
    if (!layer.bidirectional) return [];
    const kernel = createKernel(cellSpecOf(layer));
    const specs = denseParams(`bridge/layer${l}/h`, 2 * kernel.outputSize, kernel.outputSize);
    if (kernel.cellSize > 0)
      specs.push(...denseParams(`bridge/layer${l}/c`, 2 * kernel.cellSize, kernel.cellSize));
    return specs;
  });
}

/**
 * Additive decoder attention (decoder-attention.ts), attention size = the decoder's top output
 * size n_d: W_enc [n_e, n_d], W_dec [n_d, n_d], v [n_d, 1], and the combination W_c
 * [n_e + n_d, n_d] + b_c whose output the output layer reads.
 */
function decoderAttentionParams(encoderSize: number, decoderSize: number): ParamSpec[] {
  return [
    {
      name: 'attention/encoder_kernel',
      shape: [encoderSize, decoderSize],
      init: (rng) => glorotUniform(encoderSize, decoderSize, rng),
    },
    {
      name: 'attention/decoder_kernel',
      shape: [decoderSize, decoderSize],
      init: (rng) => glorotUniform(decoderSize, decoderSize, rng),
    },
    {
      name: 'attention/vector',
      shape: [decoderSize, 1],
      init: (rng) => glorotUniform(decoderSize, 1, rng),
    },
    ...denseParams('attention/combine', encoderSize + decoderSize, decoderSize),
  ];
}

/** Every parameter of a model, in a fixed order (the order of the weights file). */
export function modelParamSpecs(config: ModelConfig): ParamSpec[] {
  const specs: ParamSpec[] = [];
  if (config.input.kind === 'tokens') specs.push(...tokenInputParams(config.input));
  specs.push(...stackParams('encoder', config.layers, inputSizeOf(config)));
  if (config.bidirectionalLm)
    specs.push(...stackParams('encoder', config.layers, inputSizeOf(config), ['bw']));
  if (config.convolution) specs.push(...convolutionParams(config.convolution, inputSizeOf(config)));
  let topSize = encoderOutputSize(config);
  if (config.pattern === 'encoder' && config.pooling === 'attention')
    specs.push(...attentionParams(topSize));
  if (config.pattern === 'encoder-decoder' && config.decoder) {
    const dec = config.decoder;
    specs.push(embeddingParam('decoder_embedding/embeddings', dec.vocabSize, dec.embeddingSize));
    specs.push(...stackParams('decoder', dec.layers, dec.embeddingSize));
    specs.push(...bridgeParams(config.layers));
    const encoderSize = topSize;
    topSize = layerOutputSize(dec.layers[dec.layers.length - 1] as LayerConfig);
    if (dec.attention === 'additive') specs.push(...decoderAttentionParams(encoderSize, topSize));
  }
  const out = config.output.size;
  // Tied: the output kernel is the transposed embedding table (rnn-model.ts outputKernel).
  if (!config.output.tiedEmbeddings)
    specs.push({
      name: 'output/kernel',
      shape: [topSize, out],
      init: (rng) => glorotUniform(topSize, out, rng),
    });
  specs.push({ name: 'output/bias', shape: [out], init: () => new Float32Array(out) });
  return specs;
}

/** Creates the variables, initialised from the config's seed: the same seed gives the same weights. */
export function createParams(config: ModelConfig): Map<string, tf.Variable> {
  const rng = createRng(config.seed);
  const params = new Map<string, tf.Variable>();
  for (const spec of modelParamSpecs(config)) {
    // A variable shares its initial tensor's data and adds a reference: the initial tensor
    // goes, or the weights would outlive the model's dispose().
    const initial = tf.tensor(spec.init(rng), spec.shape);
    params.set(spec.name, tf.variable(initial, true, `${spec.name}_${uniqueSuffix()}`));
    initial.dispose();
  }
  return params;
}

let counter = 0;
/** TF.js variable names are global to the engine: two models must not collide. */
function uniqueSuffix(): number {
  counter += 1;
  return counter;
}
