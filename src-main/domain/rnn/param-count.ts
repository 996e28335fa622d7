import type { ModelConfig } from './model-config';
import { modelParamSpecs } from './model-params';

export interface LayerParamCount {
  /** Layer path, e.g. `encoder/layer0/fw`, `output`, `embedding`. */
  layer: string;
  /** Weights (matrices and peephole vectors). */
  weights: number;
  biases: number;
  total: number;
  shapes: Record<string, number[]>;
}

/** Parameter counts per layer (direction), with biases apart: paper formulas count weights only. */
export function countParameters(config: ModelConfig): { layers: LayerParamCount[]; total: number } {
  const layers = new Map<string, LayerParamCount>();
  for (const spec of modelParamSpecs(config)) {
    const cut = spec.name.lastIndexOf('/');
    const layer = spec.name.slice(0, cut);
    const weightName = spec.name.slice(cut + 1);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const entry = layers.get(layer) ?? { layer, weights: 0, biases: 0, total: 0, shapes: {} };
    if (weightName === 'bias') entry.biases += size;
    else entry.weights += size;
    entry.total += size;
    entry.shapes[weightName] = spec.shape;
    layers.set(layer, entry);
  }
  const list = [...layers.values()];
  return { layers: list, total: list.reduce((sum, l) => sum + l.total, 0) };
}

/** Sak et al. 2014, LSTMP with peepholes and an output layer of size no (weights, no biases). */
export function lstmpPaperCount(ni: number, nc: number, nr: number, no: number): number {
  return nc * nr * 4 + ni * nc * 4 + nr * no + nc * nr + nc * 3;
}

/** Standard LSTM (no peepholes, no projection): 4 (ni nc + nc nc) weights + 4 nc biases. */
export function lstmPaperCount(ni: number, nc: number): number {
  return 4 * (ni * nc + nc * nc + nc);
}

/** GRU (reset before the product): 3 (ni n + n n + n). */
export function gruPaperCount(ni: number, n: number): number {
  return 3 * (ni * n + n * n + n);
}

/** Elman: ni n + n n + n. */
export function elmanPaperCount(ni: number, n: number): number {
  return ni * n + n * n + n;
}
