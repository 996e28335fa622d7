import * as tf from '@tensorflow/tfjs';
import { UnfoldError } from '../errors';
import { attentionPool } from './attention-pooling';
import { maxWithOneWinner } from './max-with-one-winner';
import type { TokenExtras } from './batching';
import { createKernel } from './cell-spec';
import { charFeatures } from './char-cnn';
import type { ConvFilterBank } from './conv-max-over-time';
import { convolutionEncoder } from './convolution-encoder';
import { dropout } from './dropout';
import { attendToEncoder, encoderMemory } from './decoder-attention';
import type { Attended, DecoderAttentionParams, EncoderMemory } from './decoder-attention';
import { embedLookup, embedLookupRows } from './embedding';
import { framewiseProduct } from './kernels/native-dense';
import { nativeOutputSoftmax } from './kernels/native-output-softmax';
import { chooseRnnKernel } from './kernels/native-sequence';
import { runSequence } from './kernels/sequence-op';
import type { SequenceInputs, SequenceResult } from './kernels/sequence-types';
import { DEFAULT_UNKNOWN_ID } from './model-config';
import type { LayerConfig, ModelConfig, PoolingConfig } from './model-config';
import {
  SCALAR_MIX_GAMMA,
  SCALAR_MIX_WEIGHTS,
  cellSpecOf,
  createParams,
  directionsOf,
} from './model-params';
import { scalarMix } from './scalar-mix';
import { softmaxCrossEntropy } from './softmax-cross-entropy';
import type { SoftmaxCrossEntropy } from './softmax-cross-entropy';
import type { Rng } from './random';
import type { SparseGradients } from './sparse-rows';

/** Recurrent state of one unidirectional layer (the forward direction of a bidirectional one). */
export interface LayerState {
  h: tf.Tensor2D;
  c: tf.Tensor2D | null;
}

/** Frees the tensors of layer states (nothing for null). */
export function disposeLayerStates(states: readonly LayerState[] | null): void {
  if (states) tf.dispose(states.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])));
}

/** Token models also read `charInputs` / `caseInputs` when their config has chars / cases. */
export interface ModelBatch extends TokenExtras {
  /** Features [batch, time, size] (float32) or token ids [batch, time] (int32). */
  inputs: tf.Tensor;
  /** [batch, time] with 1 for real steps and 0 for padding; null when nothing is padded. */
  mask: tf.Tensor2D | null;
  /** Encoder-decoder only: decoder input ids [batch, time'] (teacher forcing: <bos> + target without its last token). */
  decoderInputs?: tf.Tensor2D;
  decoderMask?: tf.Tensor2D | null;
}

/**
 * What a hook may put in place of a layer direction's results: its outputs (in the order it
 * processed the steps) and, when given, its final states (introspection probes an encoder's
 * final state, which an encoder-decoder's decoder starts from).
 */
export interface HookedLayer {
  outputs: tf.Tensor3D;
  finalOutput?: tf.Tensor;
  finalCell?: tf.Tensor | null;
}

/** Called for every layer direction after it ran; introspection uses it to look inside. */
export interface LayerHook {
  (info: {
    key: string;
    layer: LayerConfig;
    input: tf.Tensor3D;
    weights: tf.Tensor[];
    h0: tf.Tensor2D;
    c0: tf.Tensor2D | null;
    mask: tf.Tensor3D | null;
    result: SequenceResult;
  }): tf.Tensor3D | HookedLayer | void;
}

export interface ForwardOptions {
  training: boolean;
  /** Source of dropout seeds; required when training with dropout. */
  rng?: Rng;
  /** States to start from (truncated BPTT, streaming); zeros when absent. */
  initialStates?: LayerState[] | null;
  onLayer?: LayerHook;
  /** When given, the word-embedding table's gradient is collected here as rows (embedLookupRows). */
  sparseGradients?: SparseGradients;
  /**
   * Return the attention pooling's weights (`attention` of the result; pooling 'attention'), or
   * an encoder-decoder's attention weights (`alignment`; decoder attention 'additive').
   */
  withAttention?: boolean;
  /** Return the encoder stack's token input and every layer's output (`layers` of the result). */
  withLayers?: boolean;
}

export interface ForwardResult {
  /**
   * Pre-activation scores: [time, batch, out] (time-major) for transducer, decoder and
   * encoder-decoder (decoder time); [batch, out] for an encoder.
   */
  logits: tf.Tensor;
  /** Final state per layer (encoder stack; decoder stack for encoder-decoder); none for a convolution. */
  finalStates: LayerState[];
  /**
   * With `withAttention` and pooling 'attention': each sequence's weights over its steps,
   * [batch, time], summing to 1 over the real steps and 0 on padding.
   */
  attention?: tf.Tensor2D;
  /**
   * Encoder-decoder with additive attention (always from decodeSteps, from forward with
   * `withAttention`): [batch, decoder time, source time], each row summing to 1 over the
   * source's real steps and 0 on its padding.
   */
  alignment?: tf.Tensor3D;
  /**
   * With `withLayers`: the encoder stack's input and each recurrent layer's output (after a
   * residual), time-major [time, batch, size]; a bidirectional LM's rows as the batch had them.
   */
  layers?: tf.Tensor3D[];
}

/** forward() without its output layer: `features` is what the output layer reads. */
export interface ForwardFeatures extends Omit<ForwardResult, 'logits'> {
  /** [time, batch, size] (time-major) or [batch, size] (encoder), as the logits but for size. */
  features: tf.Tensor;
}

/** An encoded source batch: the decoder's start states and, with attention, what it attends to. */
export interface EncodedSource {
  states: LayerState[];
  memory: EncoderMemory | null;
}

/**
 * A model built from a plain JSON config, with its own parameters (tf.Variables named like the
 * weights manifest): the recurrent engine's models, and the one non-recurrent encoder it runs for
 * comparison (a convolution with max over time, Kim 2014). Internally time-major: the input is
 * transposed once, every layer and the output layer work on [time, batch, *] without further
 * transposes.
 */
export class RnnModel {
  readonly config: ModelConfig;
  readonly params: Map<string, tf.Variable>;

  constructor(config: ModelConfig, params?: Map<string, tf.Variable>) {
    this.config = config;
    this.params = params ?? createParams(config);
  }

  /** Every parameter but the word embeddings when the config freezes them. */
  get trainableVariables(): tf.Variable[] {
    const input = this.config.input;
    const frozen =
      input.kind === 'tokens' && input.freezeEmbeddings ? 'embedding/embeddings' : null;
    return [...this.params].filter(([name]) => name !== frozen).map(([, variable]) => variable);
  }

  /** Overwrites one parameter (e.g. pre-trained word vectors), row-major in its shape. */
  setParam(name: string, values: Float32Array): void {
    const variable = this.param(name);
    const size = variable.shape.reduce((a, b) => a * b, 1);
    if (values.length !== size)
      throw new UnfoldError(
        'BAD_PARAMETER_SHAPE',
        `Parameter ${name} has shape [${variable.shape.join(', ')}] (${size} values); got ${values.length} values.`,
      );
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
  }

  param(name: string): tf.Variable {
    const value = this.params.get(name);
    if (!value) throw new Error(`model has no parameter ${name}`);
    return value;
  }

  /** Zero states for every layer of the stack that carries state (the encoder stack, or decoder of an encoder-decoder). */
  zeroStates(batch: number, stack: 'encoder' | 'decoder' = 'encoder'): LayerState[] {
    const layers = stack === 'decoder' ? (this.config.decoder?.layers ?? []) : this.config.layers;
    return layers.map((layer) => {
      const kernel = createKernel(cellSpecOf(layer));
      return {
        h: tf.zeros([batch, kernel.outputSize]) as tf.Tensor2D,
        c: kernel.cellSize > 0 ? (tf.zeros([batch, kernel.cellSize]) as tf.Tensor2D) : null,
      };
    });
  }

  forward(batch: ModelBatch, options: ForwardOptions): ForwardResult {
    const { features, ...rest } = this.forwardFeatures(batch, options);
    return { logits: this.outputLayer(features, options), ...rest };
  }

  /**
   * Softmax cross-entropy of the output layer over `features` (from forwardFeatures, same
   * options) against class `ids` with `weights`, one per row of the features in row-major
   * (time-major) order. With the native addon the output layer and the loss are one native node
   * (kernels/native-output-softmax.ts) and the logits never become a tensor; else the output
   * layer's logits go through softmaxCrossEntropy. The same numbers to float rounding either
   * way, dropout included. `smoothing`: label smoothing of the targets (0: none).
   */
  softmaxLoss(
    features: tf.Tensor,
    ids: ArrayLike<number>,
    weights: ArrayLike<number>,
    options: Pick<ForwardOptions, 'training' | 'rng'>,
    smoothing = 0,
  ): SoftmaxCrossEntropy {
    const { addon } = chooseRnnKernel();
    if (!addon)
      return softmaxCrossEntropy(this.outputLayer(features, options), ids, weights, smoothing);
    const dropped = this.dropout(features, options);
    const size = dropped.shape[dropped.shape.length - 1] as number;
    const flat = tf.reshape(dropped, [-1, size]) as tf.Tensor2D;
    const tied = this.config.output.tiedEmbeddings === true;
    const kernel = this.param(tied ? 'embedding/embeddings' : 'output/kernel') as tf.Tensor2D;
    const bias = this.param('output/bias') as tf.Tensor1D;
    return nativeOutputSoftmax(addon, flat, kernel, bias, ids, weights, tied, smoothing);
  }

  /** forward() up to the output layer's input. */
  forwardFeatures(batch: ModelBatch, options: ForwardOptions): ForwardFeatures {
    const config = this.config;
    const maskTB = batch.mask ? timeMajorMask(batch.mask) : null;
    const x = this.encoderInput(batch, options);
    if (config.convolution) {
      const features = convolutionEncoder(x, batch.mask, this.convolutionBanks());
      return { features, finalStates: [] };
    }
    const encoder = this.runStack(
      'encoder',
      config.layers,
      x,
      maskTB,
      options.initialStates ?? null,
      options,
    );
    if (config.pattern === 'encoder-decoder') {
      if (!batch.decoderInputs || !config.decoder)
        throw new Error('an encoder-decoder needs decoder inputs');
      const decMaskTB = batch.decoderMask ? timeMajorMask(batch.decoderMask) : null;
      const decX = this.embedInputs(batch.decoderInputs, 'decoder_embedding/embeddings');
      const decoder = this.runStack(
        'decoder',
        config.decoder.layers,
        decX,
        decMaskTB,
        this.decoderStartStates(encoder.perLayer),
        options,
      );
      const memory = this.memoryOf(encoder.outputs, batch.mask);
      const attended = memory ? this.attend(decoder.outputs, memory) : null;
      return {
        features: attended?.attended ?? decoder.outputs,
        finalStates: decoder.finalStates,
        ...(attended && options.withAttention ? { alignment: attended.weights } : {}),
      };
    }
    if (config.pattern === 'encoder') {
      const { pooled, attention } = this.pool(encoder, maskTB);
      return {
        features: pooled,
        finalStates: encoder.finalStates,
        ...(attention && options.withAttention ? { attention } : {}),
      };
    }
    return {
      features: encoder.outputs,
      finalStates: encoder.finalStates,
      ...(options.withLayers ? { layers: [x, ...encoder.layerOutputs] } : {}),
    };
  }

  /**
   * Runs only the decoder stack one or more steps from given states (greedy/beam decoding,
   * sampling). An encoder-decoder with attention needs the encoder's memory (encodeSource), its
   * rows matching the tokens' rows, and returns the attention weights as `alignment`.
   */
  decodeSteps(
    tokens: tf.Tensor2D,
    states: LayerState[],
    memory: EncoderMemory | null = null,
  ): ForwardResult {
    const config = this.config;
    if (config.bidirectionalLm)
      throw new UnfoldError(
        'BIDIRECTIONAL_LM_STEPS',
        'A bidirectional language model reads characters and both directions of the text: it is run over whole batches (forward), not step by step.',
      );
    const isSeq2Seq = config.pattern === 'encoder-decoder' && config.decoder;
    const x = this.embedInputs(
      tokens,
      isSeq2Seq ? 'decoder_embedding/embeddings' : 'embedding/embeddings',
    );
    const layers = isSeq2Seq ? (config.decoder?.layers ?? []) : config.layers;
    const run = this.runStack(isSeq2Seq ? 'decoder' : 'encoder', layers, x, null, states, {
      training: false,
    });
    if (isSeq2Seq && config.decoder?.attention === 'additive') {
      if (!memory)
        throw new Error('an encoder-decoder with attention decodes with its encoder memory');
      const { attended, weights } = this.attend(run.outputs, memory);
      return {
        logits: this.outputLayer(attended, { training: false }),
        finalStates: run.finalStates,
        alignment: weights,
      };
    }
    return {
      logits: this.outputLayer(run.outputs, { training: false }),
      finalStates: run.finalStates,
    };
  }

  /** Encodes a source batch and returns the decoder's start states (encoder-decoder). */
  encode(batch: ModelBatch): LayerState[] {
    return this.runEncoder(batch).states;
  }

  /** Encodes a source batch: the decoder's start states and, with attention, the encoder memory. */
  encodeSource(batch: ModelBatch): EncodedSource {
    const { states, outputs } = this.runEncoder(batch);
    return { states, memory: this.memoryOf(outputs, batch.mask) };
  }

  private runEncoder(batch: ModelBatch): { states: LayerState[]; outputs: tf.Tensor3D } {
    const maskTB = batch.mask ? timeMajorMask(batch.mask) : null;
    const x = this.encoderInput(batch, { training: false });
    const run = this.runStack('encoder', this.config.layers, x, maskTB, null, { training: false });
    return { states: this.decoderStartStates(run.perLayer), outputs: run.outputs };
  }

  /**
   * Each decoder layer's start state: its encoder layer's final state, or for a bidirectional
   * encoder layer the bridge of both directions' final states, h0 = tanh([h_fw; h_bw] W + b)
   * (and c0 likewise from the cell states).
   */
  private decoderStartStates(perLayer: SequenceResult[][]): LayerState[] {
    return perLayer.map((results, l) => {
      const [fw, bw] = results as [SequenceResult, SequenceResult | undefined];
      if (!bw) return { h: fw.finalOutput as tf.Tensor2D, c: fw.finalCell as tf.Tensor2D | null };
      const bridge = (part: 'h' | 'c', a: tf.Tensor, b: tf.Tensor): tf.Tensor2D =>
        tf.tanh(
          tf.add(
            tf.matMul(
              tf.concat([a, b], 1) as tf.Tensor2D,
              this.param(`bridge/layer${l}/${part}/kernel`),
            ),
            this.param(`bridge/layer${l}/${part}/bias`),
          ),
        ) as tf.Tensor2D;
      return {
        h: bridge('h', fw.finalOutput, bw.finalOutput),
        c: fw.finalCell && bw.finalCell ? bridge('c', fw.finalCell, bw.finalCell) : null,
      };
    });
  }

  /** The encoder memory the decoder attends to; null without decoder attention. */
  private memoryOf(outputs: tf.Tensor3D, mask: tf.Tensor2D | null): EncoderMemory | null {
    if (this.config.decoder?.attention !== 'additive') return null;
    return encoderMemory(outputs, mask, this.attentionParams());
  }

  private attend(decoderOutputs: tf.Tensor3D, memory: EncoderMemory): Attended {
    return attendToEncoder(decoderOutputs, memory, this.attentionParams());
  }

  /** The decoder attention's weights (a model with `decoder.attention: 'additive'`). */
  attentionParams(): DecoderAttentionParams {
    return {
      encoderKernel: this.param('attention/encoder_kernel') as tf.Tensor2D,
      decoderKernel: this.param('attention/decoder_kernel') as tf.Tensor2D,
      vector: this.param('attention/vector') as tf.Tensor2D,
      combineKernel: this.param('attention/combine/kernel') as tf.Tensor2D,
      combineBias: this.param('attention/combine/bias') as tf.Tensor1D,
    };
  }

  dispose(): void {
    for (const variable of this.params.values()) variable.dispose();
  }

  /** The convolution encoder's filter banks, one per width ('encoder/conv{i}/*'). */
  private convolutionBanks(): ConvFilterBank[] {
    return (this.config.convolution?.widths ?? []).map((width, i) => ({
      kernel: this.param(`encoder/conv${i}/kernel`) as tf.Tensor2D,
      bias: this.param(`encoder/conv${i}/bias`) as tf.Tensor1D,
      width,
    }));
  }

  /**
   * The encoder's time-major input: features, or word embeddings (token dropout while training)
   * ++ char CNN features ++ case embeddings, in that order.
   */
  private encoderInput(
    batch: ModelBatch,
    options: Pick<ForwardOptions, 'training' | 'rng' | 'sparseGradients'>,
  ): tf.Tensor3D {
    const input = this.config.input;
    if (input.kind === 'features') return this.embedInputs(batch.inputs, null);
    const ids = tf.transpose(batch.inputs) as tf.Tensor2D;
    const kept = this.tokenDropout(ids, batch.tokenDropout, options);
    const table = this.param('embedding/embeddings') as tf.Tensor2D;
    const sparse = input.freezeEmbeddings ? undefined : options.sparseGradients;
    const parts = [
      (sparse
        ? embedLookupRows(table, kept, sparse, 'embedding/embeddings')
        : embedLookup(table, kept)) as tf.Tensor3D,
    ];
    if (input.chars) {
      if (!batch.charInputs)
        throw new UnfoldError(
          'BAD_MODEL_INPUT',
          'This model reads characters (input.chars): the batch has no charInputs.',
        );
      parts.push(
        charFeatures(
          {
            table: this.param('embedding/char_embeddings') as tf.Tensor2D,
            kernel: this.param('embedding/char_conv/kernel') as tf.Tensor2D,
            bias: this.param('embedding/char_conv/bias') as tf.Tensor1D,
            width: input.chars.width,
          },
          batch.charInputs,
        ),
      );
    }
    if (input.cases) {
      if (!batch.caseInputs)
        throw new UnfoldError(
          'BAD_MODEL_INPUT',
          'This model reads case classes (input.cases): the batch has no caseInputs.',
        );
      parts.push(
        embedLookup(
          this.param('embedding/case_embeddings') as tf.Tensor2D,
          tf.transpose(batch.caseInputs),
        ) as tf.Tensor3D,
      );
    }
    if (input.contextual) {
      if (!batch.contextualInputs)
        throw new UnfoldError(
          'BAD_MODEL_INPUT',
          'This model reads contextual embeddings (input.contextual): the batch has no contextualInputs.',
        );
      parts.push(
        scalarMix(
          batch.contextualInputs,
          this.param(SCALAR_MIX_WEIGHTS) as tf.Tensor1D,
          this.param(SCALAR_MIX_GAMMA) as tf.Tensor1D,
        ),
      );
    }
    return parts.length === 1 ? (parts[0] as tf.Tensor3D) : (tf.concat(parts, 2) as tf.Tensor3D);
  }

  /**
   * Word dropout (Kiperwasser & Goldberg 2016): while training, each id [time, batch] becomes
   * unknownId with its own probability. One draw of options.rng per position, so the same
   * seed drops the same words.
   */
  private tokenDropout(
    ids: tf.Tensor2D,
    probabilities: tf.Tensor2D | undefined,
    options: Pick<ForwardOptions, 'training' | 'rng'>,
  ): tf.Tensor2D {
    if (!options.training || !probabilities) return ids;
    if (!options.rng) throw new Error('token dropout in training needs a seeded rng');
    const input = this.config.input;
    const unknownId = (input.kind === 'tokens' ? input.unknownId : undefined) ?? DEFAULT_UNKNOWN_ID;
    const [time, batch] = ids.shape;
    const values = Int32Array.from(ids.dataSync() as Int32Array);
    const p = probabilities.dataSync(); // [batch, time]
    for (let t = 0; t < time; t++) {
      for (let b = 0; b < batch; b++) {
        if (options.rng.next() < (p[b * time + t] as number)) values[t * batch + b] = unknownId;
      }
    }
    return tf.tensor2d(values, ids.shape, 'int32');
  }

  private embedInputs(inputs: tf.Tensor, table: string | null): tf.Tensor3D {
    if (table === null) return tf.transpose(inputs, [1, 0, 2]) as tf.Tensor3D;
    // Look up time-major ids directly: [time, batch] -> [time, batch, dim].
    return embedLookup(this.param(table) as tf.Tensor2D, tf.transpose(inputs)) as tf.Tensor3D;
  }

  private runStack(
    stack: 'encoder' | 'decoder',
    layers: LayerConfig[],
    input: tf.Tensor3D,
    mask: tf.Tensor3D | null,
    initial: LayerState[] | null,
    options: Pick<ForwardOptions, 'training' | 'rng' | 'onLayer'>,
  ): {
    outputs: tf.Tensor3D;
    finalStates: LayerState[];
    perLayer: SequenceResult[][];
    layerOutputs: tf.Tensor3D[];
  } {
    if (stack === 'encoder' && this.config.bidirectionalLm)
      return this.runLmDirections(layers, input, mask, initial, options);
    let x = input;
    const finalStates: LayerState[] = [];
    const perLayer: SequenceResult[][] = [];
    const layerOutputs: tf.Tensor3D[] = [];
    const batch = input.shape[1];
    layers.forEach((layer, l) => {
      const layerInput = this.dropout(x, options);
      const kernel = createKernel(cellSpecOf(layer));
      const results: SequenceResult[] = [];
      for (const dir of directionsOf(layer)) {
        const prefix = `${stack}/layer${l}/${dir}`;
        const weights = this.directionWeights(prefix);
        const start = dir === 'fw' ? initial?.[l] : undefined;
        const h0 = start?.h ?? (tf.zeros([batch, kernel.outputSize]) as tf.Tensor2D);
        // A missing c0 means zeros to every kernel; the native one then skips a tensor.
        const c0 = kernel.cellSize > 0 ? (start?.c ?? null) : null;
        // The backward direction runs reversed inside the sequence op (no reverse nodes on the
        // native kernel); its outputs come back in the original time order.
        const run: SequenceInputs = { x: layerInput, weights, h0, c0, mask, reverse: dir === 'bw' };
        let result = runSequence(kernel, run);
        if (options.onLayer) result = hookLayer(options.onLayer, prefix, layer, result, run);
        results.push(result);
      }
      const fw = results[0] as SequenceResult;
      const bw = results[1];
      let out = fw.outputs;
      if (bw)
        out =
          layer.bidirectional === 'sum'
            ? tf.add(out, bw.outputs)
            : (tf.concat([out, bw.outputs], 2) as tf.Tensor3D);
      if (this.config.residual && l > 0 && out.shape[2] === x.shape[2]) out = tf.add(out, x);
      finalStates.push({ h: fw.finalOutput as tf.Tensor2D, c: fw.finalCell as tf.Tensor2D | null });
      perLayer.push(results);
      layerOutputs.push(out);
      x = out;
    });
    return { outputs: x, finalStates, perLayer, layerOutputs };
  }

  /**
   * A layer direction's weights (`encoder/layer0/fw`...) in the order its sequence op takes them,
   * absent ones left out.
   */
  directionWeights(prefix: string): tf.Variable[] {
    return ['kernel', 'recurrent_kernel', 'bias', 'peephole', 'projection']
      .map((name) => this.params.get(`${prefix}/${name}`))
      .filter((w): w is tf.Variable => w !== undefined);
  }

  /**
   * A bidirectional LM's two stacks: the first half of the batch's rows (text read forwards)
   * through each layer's `fw` weights, the second half (text read backwards) through its `bw`
   * weights, both walking their rows' steps in order; outputs and final states are the halves
   * put back together, so truncated BPTT carries every row's state as for any decoder.
   */
  private runLmDirections(
    layers: LayerConfig[],
    input: tf.Tensor3D,
    mask: tf.Tensor3D | null,
    initial: LayerState[] | null,
    options: Pick<ForwardOptions, 'training' | 'rng' | 'onLayer'>,
  ): {
    outputs: tf.Tensor3D;
    finalStates: LayerState[];
    perLayer: SequenceResult[][];
    layerOutputs: tf.Tensor3D[];
  } {
    const rows = input.shape[1];
    if (rows % 2 !== 0)
      throw new UnfoldError(
        'BAD_MODEL_INPUT',
        `A bidirectional language model reads its batch as forward rows then as many backward rows: ${rows} rows is odd.`,
      );
    const half = rows / 2;
    const halves = <T extends tf.Tensor>(t: T, axis: number): [T, T] =>
      tf.split(t, 2, axis) as [T, T];
    const maskHalves = mask ? halves(mask, 1) : [null, null];
    let x = input;
    const finalStates: LayerState[] = [];
    const perLayer: SequenceResult[][] = [];
    const layerOutputs: tf.Tensor3D[] = [];
    layers.forEach((layer, l) => {
      const layerInput = halves(this.dropout(x, options), 1);
      const kernel = createKernel(cellSpecOf(layer));
      const start = initial?.[l];
      const h0 = start ? halves(start.h, 0) : null;
      const c0 = start?.c && kernel.cellSize > 0 ? halves(start.c, 0) : null;
      const results = (['fw', 'bw'] as const).map((dir, d) => {
        const prefix = `encoder/layer${l}/${dir}`;
        const weights = this.directionWeights(prefix);
        const run: SequenceInputs = {
          x: layerInput[d] as tf.Tensor3D,
          weights,
          h0: h0?.[d] ?? (tf.zeros([half, kernel.outputSize]) as tf.Tensor2D),
          c0: c0?.[d] ?? null,
          mask: maskHalves[d] ?? null,
          reverse: false,
        };
        const result = runSequence(kernel, run);
        return options.onLayer ? hookLayer(options.onLayer, prefix, layer, result, run) : result;
      });
      const [fw, bw] = results as [SequenceResult, SequenceResult];
      let out = tf.concat([fw.outputs, bw.outputs], 1) as tf.Tensor3D;
      if (this.config.residual && l > 0 && out.shape[2] === x.shape[2]) out = tf.add(out, x);
      finalStates.push({
        h: tf.concat([fw.finalOutput, bw.finalOutput], 0) as tf.Tensor2D,
        c:
          fw.finalCell && bw.finalCell
            ? (tf.concat([fw.finalCell, bw.finalCell], 0) as tf.Tensor2D)
            : null,
      });
      perLayer.push(results);
      layerOutputs.push(out);
      x = out;
    });
    return { outputs: x, finalStates, perLayer, layerOutputs };
  }

  private pool(
    encoder: { outputs: tf.Tensor3D; perLayer: SequenceResult[][] },
    mask: tf.Tensor3D | null,
  ): { pooled: tf.Tensor2D; attention?: tf.Tensor2D } {
    const pooling = this.config.pooling;
    if (pooling === 'attention') {
      const { pooled, weights } = attentionPool(encoder.outputs, mask, {
        kernel: this.param('pooling/attention/kernel') as tf.Tensor2D,
        bias: this.param('pooling/attention/bias') as tf.Tensor1D,
        vector: this.param('pooling/attention/vector') as tf.Tensor2D,
      });
      return { pooled, attention: weights };
    }
    return { pooled: this.poolSteps(encoder, mask, pooling) };
  }

  /** Last-state, mean or max pooling. */
  private poolSteps(
    encoder: { outputs: tf.Tensor3D; perLayer: SequenceResult[][] },
    mask: tf.Tensor3D | null,
    pooling: Exclude<PoolingConfig, 'attention'>,
  ): tf.Tensor2D {
    const outputs = encoder.outputs;
    const time = outputs.shape[0];
    switch (pooling) {
      case 'last': {
        // Padded steps repeat the last real output, so the last step holds the last real state.
        // A bidirectional top layer ends at both ends: forward at the last step, backward at the
        // first (its own final state), combined like the layer combines its directions (a
        // residual input is not added to this pooled state).
        const top = encoder.perLayer[encoder.perLayer.length - 1] as SequenceResult[];
        const [fw, bw] = top as [SequenceResult, SequenceResult | undefined];
        if (!bw) {
          return tf.reshape(tf.slice(outputs, [time - 1, 0, 0], [1, -1, -1]), [
            outputs.shape[1],
            outputs.shape[2],
          ]) as tf.Tensor2D;
        }
        const concat = this.config.layers[this.config.layers.length - 1]?.bidirectional !== 'sum';
        return concat
          ? (tf.concat([fw.finalOutput, bw.finalOutput], 1) as tf.Tensor2D)
          : (tf.add(fw.finalOutput, bw.finalOutput) as tf.Tensor2D);
      }
      case 'mean': {
        if (!mask) return tf.mean(outputs, 0);
        return tf.div(tf.sum(tf.mul(outputs, mask), 0), tf.maximum(tf.sum(mask, 0), 1));
      }
      case 'max': {
        if (!mask) return maxWithOneWinner(outputs, 0);
        return maxWithOneWinner(tf.add(outputs, tf.mul(tf.sub(mask, 1), 1e9)) as tf.Tensor3D, 0);
      }
    }
  }

  /**
   * The output layer's kernel [top size, outputs]: its own, or with tied embeddings the input
   * embedding table transposed (a new tensor: call inside tidy, or dispose it).
   */
  outputKernel(): tf.Tensor2D {
    if (this.config.output.tiedEmbeddings)
      return tf.transpose(this.param('embedding/embeddings') as tf.Tensor2D);
    return this.param('output/kernel') as tf.Tensor2D;
  }

  private outputLayer(h: tf.Tensor, options: Pick<ForwardOptions, 'training' | 'rng'>): tf.Tensor {
    const dropped = this.dropout(h, options);
    const size = dropped.shape[dropped.shape.length - 1] as number;
    const flat = tf.reshape(dropped, [-1, size]) as tf.Tensor2D;
    // One product over all frames (not timeDistributed, which loops over time).
    const logits = tf.add(framewiseProduct(flat, this.outputKernel()), this.param('output/bias'));
    return tf.reshape(logits, [...dropped.shape.slice(0, -1), this.config.output.size]);
  }

  private dropout<T extends tf.Tensor>(x: T, options: Pick<ForwardOptions, 'training' | 'rng'>): T {
    const rate = this.config.dropout;
    if (!options.training || rate <= 0) return x;
    if (!options.rng) throw new Error('dropout in training needs a seeded rng');
    // Time-major [time, batch, features] tensors share a mask over time when variational.
    return dropout(x, rate, options.rng.seed(), this.config.variationalDropout && x.rank === 3);
  }
}

/**
 * Shows a layer direction to an onLayer hook in the order it processed the steps (a backward
 * direction sees its input, mask and outputs reversed in time, as its kernel walked them), and
 * takes the hook's replacement outputs back in the original time order.
 */
function hookLayer(
  hook: LayerHook,
  key: string,
  layer: LayerConfig,
  result: SequenceResult,
  run: SequenceInputs,
): SequenceResult {
  const flip = <T extends tf.Tensor>(t: T): T => (run.reverse ? (tf.reverse(t, 0) as T) : t);
  const hooked = hook({
    key,
    layer,
    input: flip(run.x),
    weights: run.weights,
    h0: run.h0 as tf.Tensor2D,
    c0: run.c0 as tf.Tensor2D | null,
    mask: run.mask ? flip(run.mask) : null,
    result: { ...result, outputs: flip(result.outputs) },
  });
  if (!hooked) return result;
  if (hooked instanceof tf.Tensor) return { ...result, outputs: flip(hooked) };
  return {
    outputs: flip(hooked.outputs),
    finalOutput: hooked.finalOutput ?? result.finalOutput,
    finalCell: hooked.finalCell === undefined ? result.finalCell : hooked.finalCell,
  };
}

function timeMajorMask(mask: tf.Tensor2D): tf.Tensor3D {
  return tf.expandDims(tf.transpose(tf.cast(mask, 'float32')), 2) as tf.Tensor3D;
}

/** Applies the output activation to logits (softmax over the last axis, sigmoid, or none). */
export function activateOutput(config: ModelConfig, logits: tf.Tensor): tf.Tensor {
  if (config.output.activation === 'softmax') return tf.softmax(logits);
  if (config.output.activation === 'sigmoid') return tf.sigmoid(logits);
  return logits;
}
