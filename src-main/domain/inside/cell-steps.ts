/**
 * One step of a recurrent cell in plain JS on Float32Arrays, with the engine's weight layout and
 * equations (see ../rnn/README.md): what the dynamics panel iterates thousands of times with a
 * constant input, where a TF.js op per step would cost more than the arithmetic. The spec checks
 * it against the engine's own forward pass.
 */
import type { CellSpec } from '../rnn/cell-kinds';

/** A layer's weights in kernel order, row-major, as the engine stores them. */
export interface CellWeights {
  /** [inputSize, G*n] */
  kernel: Float32Array;
  /** [outputSize, G*n] */
  recurrent: Float32Array;
  /** [G*n] */
  bias: Float32Array;
  /** [3, n] rows wic, wfc, woc (peephole, lstmp). */
  peephole?: Float32Array | undefined;
  /** [n, nr] (lstmp). */
  projection?: Float32Array | undefined;
}

/**
 * The layer's state as one vector: the output h (r for an LSTMP), then the cell state c for the
 * LSTM family. `step` maps a state and the input's projection x W + b to the next state.
 */
export interface CellStepper {
  outputSize: number;
  cellSize: number;
  stateSize: number;
  /** x W + b for one input vector x [inputSize]. */
  project(x: Float32Array): Float32Array;
  step(state: Float32Array, projected: Float32Array): Float32Array;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** out[j] += sum_i v[i] * m[i, j] for m row-major [v.length, cols]. */
function addVecMat(out: Float32Array, v: Float32Array, m: Float32Array, cols: number): void {
  for (let i = 0; i < v.length; i++) {
    const vi = v[i] as number;
    if (vi === 0) continue;
    const row = i * cols;
    for (let j = 0; j < cols; j++) out[j] = (out[j] as number) + vi * (m[row + j] as number);
  }
}

/**
 * out[j - from] += v . mt[j] for the rows j in [from, to) of mt, row-major [rows, v.length]: a
 * vector times a matrix stored transposed, one dot product per output summed in four lanes (twice
 * as fast here as adding v[i] times row i, which writes every output once per input).
 */
function addDots(
  out: Float32Array,
  v: Float32Array,
  mt: Float32Array,
  from: number,
  to: number,
): void {
  const k = v.length;
  for (let j = from; j < to; j++) {
    const row = j * k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = 0;
    for (; i + 3 < k; i += 4) {
      s0 += (v[i] as number) * (mt[row + i] as number);
      s1 += (v[i + 1] as number) * (mt[row + i + 1] as number);
      s2 += (v[i + 2] as number) * (mt[row + i + 2] as number);
      s3 += (v[i + 3] as number) * (mt[row + i + 3] as number);
    }
    for (; i < k; i++) s0 += (v[i] as number) * (mt[row + i] as number);
    out[j - from] = (out[j - from] as number) + (s0 + s1 + (s2 + s3));
  }
}

/** m [rows, cols] row-major, transposed and scaled: [cols, rows]. */
function transposed(m: Float32Array, rows: number, cols: number, scale: number): Float32Array {
  const t = new Float32Array(m.length);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) t[j * rows + i] = (m[i * cols + j] as number) * scale;
  return t;
}

function gateCountOf(cell: CellSpec['cell']): number {
  return cell === 'rnn' ? 1 : cell === 'gru' ? 3 : 4;
}

/**
 * A stepper for one layer direction; `recurrentScale` multiplies the recurrent kernel (the
 * dynamics panel's slider). Peepholes and the projection are kept as trained.
 */
export function cellStepper(spec: CellSpec, weights: CellWeights, recurrentScale = 1): CellStepper {
  const n = spec.units;
  const width = gateCountOf(spec.cell) * n;
  const inputSize = weights.kernel.length / width;
  const outputSize = weights.recurrent.length / width;
  // U^T [width, outputSize], scaled: each gate's pre-activation is a dot product with the state.
  const ut = transposed(weights.recurrent, outputSize, width, recurrentScale);
  const project = (x: Float32Array): Float32Array => {
    const out = Float32Array.from(weights.bias);
    addVecMat(out, x.subarray(0, inputSize), weights.kernel, width);
    return out;
  };
  if (spec.cell === 'rnn') {
    const act = spec.activation === 'sigmoid' ? sigmoid : Math.tanh;
    return {
      outputSize: n,
      cellSize: 0,
      stateSize: n,
      project,
      step(state, projected) {
        const z = Float32Array.from(projected);
        addDots(z, state, ut, 0, width);
        return z.map(act);
      },
    };
  }
  if (spec.cell === 'gru') {
    return {
      outputSize: n,
      cellSize: 0,
      stateSize: n,
      project,
      step(h, projected) {
        const zr = projected.slice(0, 2 * n);
        // Only the update and reset columns of U for now: the candidate reads r * h.
        addDots(zr, h, ut, 0, 2 * n);
        const next = new Float32Array(n);
        const a = new Float32Array(n);
        for (let j = 0; j < n; j++) a[j] = sigmoid(zr[n + j] as number) * (h[j] as number);
        const candidate = projected.slice(2 * n, 3 * n);
        addDots(candidate, a, ut, 2 * n, 3 * n);
        for (let j = 0; j < n; j++) {
          const z = sigmoid(zr[j] as number);
          const hh = Math.tanh(candidate[j] as number);
          next[j] = z * (h[j] as number) + (1 - z) * hh;
        }
        return next;
      },
    };
  }
  const peep = weights.peephole;
  const proj = weights.projection;
  return {
    outputSize,
    cellSize: n,
    stateSize: outputSize + n,
    project,
    step(state, projected) {
      const r = state.subarray(0, outputSize);
      const c = state.subarray(outputSize);
      const z = Float32Array.from(projected);
      addDots(z, r, ut, 0, width);
      const m = new Float32Array(n);
      const cNew = new Float32Array(n);
      for (let j = 0; j < n; j++) {
        const cj = c[j] as number;
        const i = sigmoid((z[j] as number) + (peep ? (peep[j] as number) * cj : 0));
        const f = sigmoid((z[n + j] as number) + (peep ? (peep[n + j] as number) * cj : 0));
        const g = Math.tanh(z[2 * n + j] as number);
        const cn = f * cj + i * g;
        const o = sigmoid((z[3 * n + j] as number) + (peep ? (peep[2 * n + j] as number) * cn : 0));
        cNew[j] = cn;
        m[j] = o * Math.tanh(cn);
      }
      const next = new Float32Array(outputSize + n);
      if (proj) addVecMat(next.subarray(0, outputSize), m, proj, outputSize);
      else next.set(m);
      next.set(cNew, outputSize);
      return next;
    },
  };
}
