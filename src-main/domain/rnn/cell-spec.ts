import { createElmanKernel } from './kernels/elman-sequence';
import { createGruKernel } from './kernels/gru-sequence';
import { createLstmKernel } from './kernels/lstm-sequence';
import { withNativeTwin } from './kernels/native-sequence';
import type { SequenceKernel } from './kernels/sequence-types';
import { filled, glorotUniform, orthogonal } from './initializers';
import type { Rng } from './random';

import type { CellKind, CellSpec } from './cell-kinds';

// The cell names and the layer spec live in cell-kinds.ts, which the kernels import too.
export { CELL_KINDS, type CellKind, type CellSpec } from './cell-kinds';

export interface WeightSpec {
  /** Keras-style name: kernel, recurrent_kernel, bias, peephole, projection. */
  name: string;
  shape: number[];
  init: (rng: Rng) => Float32Array;
}

/** The TF.js kernel of a cell, marked so runSequence may run it on the native addon instead. */
export function createKernel(spec: CellSpec): SequenceKernel {
  return withNativeTwin(createTfjsKernel(spec), spec);
}

function createTfjsKernel(spec: CellSpec): SequenceKernel {
  switch (spec.cell) {
    case 'rnn':
      return createElmanKernel(spec.units, spec.activation ?? 'tanh');
    case 'gru':
      return createGruKernel(spec.units);
    case 'lstm':
      return createLstmKernel({ units: spec.units, peephole: false, projection: null });
    case 'peephole':
      return createLstmKernel({ units: spec.units, peephole: true, projection: null });
    case 'lstmp':
      // Sak et al. 2014's LSTMP has peepholes; their parameter formula counts them.
      return createLstmKernel({
        units: spec.units,
        peephole: true,
        projection: projectionSize(spec),
      });
  }
}

function projectionSize(spec: CellSpec): number {
  if (!spec.projection || spec.projection < 1)
    throw new Error('an lstmp layer needs a projection size');
  return spec.projection;
}

export function gateCount(cell: CellKind): number {
  return cell === 'rnn' ? 1 : cell === 'gru' ? 3 : 4;
}

/** Size of what the layer outputs and feeds back: nr for LSTMP, units otherwise. */
export function outputSizeOf(spec: CellSpec): number {
  return spec.cell === 'lstmp' ? projectionSize(spec) : spec.units;
}

/**
 * Weights of one recurrent layer in kernel order, with the standard initialisers: Glorot-uniform
 * input kernel, orthogonal recurrent kernel, zero bias except forget-gate bias 1 for the LSTMs
 * (Jozefowicz et al. 2015), zero peepholes, Glorot-uniform projection.
 */
export function weightSpecs(spec: CellSpec, inputSize: number): WeightSpec[] {
  const gates = gateCount(spec.cell);
  const n = spec.units;
  const recurrentSize = outputSizeOf(spec);
  const isLstm = gates === 4;
  const specs: WeightSpec[] = [
    {
      name: 'kernel',
      shape: [inputSize, gates * n],
      init: (rng) => glorotUniform(inputSize, gates * n, rng),
    },
    {
      name: 'recurrent_kernel',
      shape: [recurrentSize, gates * n],
      init: (rng) => orthogonal(recurrentSize, gates * n, rng),
    },
    {
      name: 'bias',
      shape: [gates * n],
      init: () => {
        const bias = filled(gates * n, 0);
        if (isLstm) bias.fill(1, n, 2 * n);
        return bias;
      },
    },
  ];
  if (spec.cell === 'peephole' || spec.cell === 'lstmp') {
    specs.push({ name: 'peephole', shape: [3, n], init: () => filled(3 * n, 0) });
  }
  if (spec.cell === 'lstmp') {
    const nr = recurrentSize;
    specs.push({ name: 'projection', shape: [n, nr], init: (rng) => glorotUniform(n, nr, rng) });
  }
  return specs;
}
