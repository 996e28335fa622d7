/**
 * The recurrent cells and what one layer of them is. A module of its own, with no imports, so
 * the kernels (native-sequence.ts) and cell-spec.ts, which picks a kernel, both import it
 * without importing each other.
 */
export const CELL_KINDS = ['rnn', 'lstm', 'peephole', 'lstmp', 'gru'] as const;
export type CellKind = (typeof CELL_KINDS)[number];

export interface CellSpec {
  cell: CellKind;
  /** Hidden units (cells nc for the LSTM family). */
  units: number;
  /** Recurrent projection size nr, LSTMP only. */
  projection?: number | undefined;
  /** Elman activation; tanh unless set. */
  activation?: 'tanh' | 'sigmoid' | undefined;
}
